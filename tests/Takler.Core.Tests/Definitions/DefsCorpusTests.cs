using Takler.Core.Definitions;

namespace Takler.Core.Tests.Definitions;

/// <summary>ecFlow's own parser corpus: every good file loads and round-trips, every bad file is rejected.</summary>
public sealed class DefsCorpusTests
{
    public static TheoryData<string> GoodFiles() => DefsCorpus.Files("good_defs");

    public static TheoryData<string> BadFiles() => DefsCorpus.Files("bad_defs");

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Good_file_loads_checks_and_round_trips(string file)
    {
        var defs = DefsReader.Load(DefsCorpus.PathOf(file));
        var errors = DefsChecker.Check(defs).Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));

        var written = DefsWriter.ToText(defs);
        var reread = DefsReader.Parse(written, file + " (written)");
        var rereadErrors = DefsChecker.Check(reread).Where(d => d.IsError).ToList();
        Assert.True(rereadErrors.Count == 0, string.Join('\n', rereadErrors) + "\n" + written);
        Assert.Equal(DefsDump.Of(defs), DefsDump.Of(reread));
        Assert.Equal(written, DefsWriter.ToText(reread));
    }

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Good_file_round_trips_with_state(string file)
    {
        var defs = DefsReader.Load(DefsCorpus.PathOf(file));
        var options = new DefsWriterOptions { IncludeState = true };
        var written = DefsWriter.ToText(defs, options);
        var reread = DefsReader.Parse(written, file + " (state)");
        Assert.Equal(DefsDump.Of(defs, withState: true), DefsDump.Of(reread, withState: true));
        Assert.Equal(written, DefsWriter.ToText(reread, options));
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_is_rejected_with_file_and_line(string file)
    {
        var path = DefsCorpus.PathOf(file);
        IReadOnlyList<Diagnostic> diagnostics;
        try
        {
            diagnostics = DefsChecker.Check(DefsReader.Load(path));
        }
        catch (DefinitionException ex)
        {
            var first = Assert.Single(ex.Diagnostics);
            Assert.Equal(path, first.File);
            Assert.True(first.Line > 0 && first.Column > 0, first.ToString());
            Assert.StartsWith($"{path}:{first.Line}:{first.Column}: ", ex.Message, StringComparison.Ordinal);
            Assert.Equal(TaklerErrorCode.UnsupportedValue, ex.Code);
            return;
        }

        // ecFlow only warns about in-limits naming limits that do not exist (the limit_check files); so do we.
        var expected = Path.GetFileName(file).StartsWith("limit_check", StringComparison.Ordinal)
            ? DiagnosticSeverity.Warning
            : DiagnosticSeverity.Error;
        var found = diagnostics.Where(d => d.Severity == expected).ToList();
        Assert.True(found.Count > 0, $"{file} was accepted: {string.Join('\n', diagnostics)}");
        Assert.All(found, d => Assert.True(d.File == path && d.Line > 0 && d.Column > 0, d.ToString()));
    }

    [Theory]
    [MemberData(nameof(GoodFiles))]
    [MemberData(nameof(BadFiles))]
    public void Streaming_through_a_tiny_buffer_reads_the_same_as_from_a_string(string file)
    {
        var path = DefsCorpus.PathOf(file);
        var text = File.ReadAllText(path);
        var fromString = Outcome(() => DefsReader.Parse(text, file));
        foreach (var size in new[] { 1, 7, 64 })
        {
            using var reader = new StringReader(text);
            Assert.Equal(fromString, Outcome(() => new DefsParser(reader, file, size).Parse()));
        }

        static string Outcome(Func<DefsFile> read)
        {
            try
            {
                var defs = read();
                return DefsDump.Of(defs, withState: true) + string.Join('\n', DefsChecker.Check(defs));
            }
            catch (DefinitionException ex)
            {
                return ex.Message;
            }
        }
    }
}
