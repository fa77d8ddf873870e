using System.Text;

namespace Takler.Server.Jobs;

/// <summary>
/// Pre-processes <c>.ecf</c> scripts the way ecFlow does, one line at a time. A directive is a line that starts with the
/// micro character (<c>%</c>, or ECF_MICRO, or the last <c>%ecfmicro</c>) followed by its keyword:
/// <list type="bullet">
/// <item><c>%include &lt;f&gt;</c>: the first of ECF_INCLUDE's folders (colon-separated) holding f, else ECF_HOME/f.</item>
/// <item><c>%include "f"</c>: <c>"./f"</c> and <c>"../f"</c> relative to the script's folder; a plain <c>"f"</c> in the
/// script's folder, then ecFlow's ECF_HOME/SUITE/FAMILY/f.</item>
/// <item><c>%include f</c>: the name as written: absolute, or relative to the server's working directory (as in ecFlow,
/// only an absolute name is safe).</item>
/// <item><c>%includenopp f</c>: as <c>%include</c>, inserted without pre-processing; <c>%includeonce f</c>: as
/// <c>%include</c>, and later includes of f (either kind) are skipped.</item>
/// <item><c>%comment</c> ... <c>%end</c> and <c>%manual</c> ... <c>%end</c>: dropped from the job.
/// <c>%nopp</c> ... <c>%end</c>: passed through without substitution or directives.</item>
/// <item><c>%ecfmicro C</c>: C is the micro character from the next line on.</item>
/// </list>
/// Anywhere else on a line, <c>%VAR%</c> is replaced by the variable, <c>%VAR:default%</c> falls back to the default,
/// <c>%%</c> is one literal <c>%</c>. A value that itself contains the micro character is substituted again (as ecFlow
/// does). An undefined variable, a lone <c>%</c> outside a shell comment, a missing include or an include cycle is an
/// error, reported with the file and line; all errors are collected. ECF_X variables fall back to their TAKLER_X twins
/// (see <see cref="JobVariables"/>).
/// </summary>
public sealed class EcfPreprocessor
{
    /// <summary>The micro character unless ECF_MICRO says otherwise.</summary>
    public const char DefaultMicro = '%';

    /// <summary>How deep a variable's value may refer to other variables before it counts as recursive.</summary>
    private const int MaxExpansionDepth = 10;

    private readonly JobVariables _variables;
    private readonly ScriptFileCache _cache;
    private readonly string _scriptDirectory;
    private readonly StringBuilder _out;
    private readonly List<PreprocessError> _errors = [];
    private readonly List<string> _stack = [];
    private readonly HashSet<string> _includedOnce = new(StringComparer.Ordinal);
    private char _micro = DefaultMicro;
    private Block _block;
    private string _blockFile = string.Empty;
    private int _blockLine;

    private EcfPreprocessor(JobVariables variables, ScriptFileCache cache, string scriptDirectory, int capacity)
    {
        _variables = variables;
        _cache = cache;
        _scriptDirectory = scriptDirectory;
        _out = new StringBuilder(capacity);
    }

    private enum Block
    {
        None,
        Comment,
        Manual,
        Nopp,
    }

    /// <summary>Reads and pre-processes the script at <paramref name="scriptPath"/>.</summary>
    public static PreprocessResult Process(string scriptPath, JobVariables variables, ScriptFileCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(scriptPath);
        cache ??= new ScriptFileCache();
        return cache.ReadScript(scriptPath, out var full, out var text) ?? Process(full, text, variables, cache);
    }

    /// <summary>Pre-processes <paramref name="text"/> as if it were the script at <paramref name="scriptPath"/>.</summary>
    public static PreprocessResult Process(string scriptPath, string text, JobVariables variables, ScriptFileCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(scriptPath);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        var full = Path.GetFullPath(scriptPath);
        var p = new EcfPreprocessor(variables, cache ?? new ScriptFileCache(), Path.GetDirectoryName(full) ?? "/", text.Length + 1024);
        if (!p.TryInitialMicro(full))
        {
            return new PreprocessResult(string.Empty, p._errors);
        }

        p._stack.Add(full);
        p.ProcessFile(text, full);
        if (p._block != Block.None)
        {
            p._errors.Add(new PreprocessError(p._blockFile, p._blockLine, $"{p._micro}{p._block.ToString().ToLowerInvariant()} without {p._micro}end"));
        }

        return new PreprocessResult(p._out.ToString(), p._errors);
    }

    /// <summary>
    /// Substitutes <c>%VAR%</c>, <c>%VAR:default%</c> and <c>%%</c> in a command template such as ECF_JOB_CMD (no
    /// directives); <paramref name="source"/> names it in errors.
    /// </summary>
    public static PreprocessResult SubstituteText(string text, string source, JobVariables variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        var p = new EcfPreprocessor(variables, new ScriptFileCache(), "/", text.Length + 256);
        if (!p.TryInitialMicro(source))
        {
            return new PreprocessResult(string.Empty, p._errors);
        }

        var line = 0;
        var start = 0;
        while (true)
        {
            line++;
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            p.SubstituteLine(text.AsSpan(start, end - start), source, line, 0);
            if (newline < 0)
            {
                break;
            }

            p._out.Append('\n');
            start = newline + 1;
        }

        return new PreprocessResult(p._out.ToString(), p._errors);
    }

    private bool TryInitialMicro(string file)
    {
        if (_variables.TryGetExact("ECF_MICRO", out var micro))
        {
            if (micro.Length != 1)
            {
                _errors.Add(new PreprocessError(file, 0, $"ECF_MICRO must be one character, not '{micro}'"));
                return false;
            }

            _micro = micro[0];
        }

        return true;
    }

    private void ProcessFile(string text, string file)
    {
        var lineNo = 0;
        var start = 0;
        while (start < text.Length)
        {
            lineNo++;
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            ProcessLine(text.AsSpan(start, end - start), file, lineNo);
            start = end + 1;
        }
    }

    private void ProcessLine(ReadOnlySpan<char> line, string file, int lineNo)
    {
        if (_block == Block.Nopp)
        {
            if (line.Length > 1 && line[0] == _micro && IsDirective(line, "end", out _))
            {
                _block = Block.None;
            }
            else
            {
                _out.Append(line).Append('\n');
            }

            return;
        }

        if (line.Length > 1 && line[0] == _micro && line[1] != _micro && ProcessDirective(line, file, lineNo))
        {
            return;
        }

        if (_block != Block.None)
        {
            return;
        }

        SubstituteLine(line, file, lineNo, 0);
        _out.Append('\n');
    }

    /// <summary>Handles a directive line; false when the line is ordinary text that starts with a variable.</summary>
    private bool ProcessDirective(ReadOnlySpan<char> line, string file, int lineNo)
    {
        if (IsDirective(line, "comment", out _) || IsDirective(line, "manual", out _))
        {
            var kind = line[1] == 'c' ? Block.Comment : Block.Manual;
            if (_block is Block.Comment or Block.Manual)
            {
                Error(file, lineNo, $"{_micro}{Name(kind)} inside {_micro}{Name(_block)} (opened at line {_blockLine}); {_micro}end is missing");
                return true;
            }

            OpenBlock(kind, file, lineNo);
            return true;
        }

        if (IsDirective(line, "nopp", out _))
        {
            if (_block == Block.None)
            {
                OpenBlock(Block.Nopp, file, lineNo);
            }

            return true;
        }

        if (IsDirective(line, "end", out _))
        {
            if (_block == Block.None)
            {
                Error(file, lineNo, $"{_micro}end without {_micro}comment, {_micro}manual or {_micro}nopp");
            }

            _block = Block.None;
            return true;
        }

        if (_block != Block.None)
        {
            return true; // inside %comment or %manual: dropped, directives too.
        }

        if (IsDirective(line, "ecfmicro", out var rest))
        {
            var micro = rest.Trim();
            if (micro.Length != 1)
            {
                Error(file, lineNo, $"{_micro}ecfmicro needs exactly one character, not '{micro}'");
            }
            else
            {
                _micro = micro[0];
            }

            return true;
        }

        if (IsDirective(line, "includenopp", out rest))
        {
            Include(IncludeKind.NoPreprocess, "includenopp", rest, file, lineNo);
            return true;
        }

        if (IsDirective(line, "includeonce", out rest))
        {
            Include(IncludeKind.Once, "includeonce", rest, file, lineNo);
            return true;
        }

        if (IsDirective(line, "include", out rest))
        {
            Include(IncludeKind.Plain, "include", rest, file, lineNo);
            return true;
        }

        if (line[1..].StartsWith("include", StringComparison.Ordinal) || line[1..].StartsWith("ecf_micro", StringComparison.Ordinal))
        {
            Error(file, lineNo, $"unknown directive '{line.TrimEnd()}'");
            return true;
        }

        return false;
    }

    private void OpenBlock(Block block, string file, int lineNo)
    {
        _block = block;
        _blockFile = file;
        _blockLine = lineNo;
    }

    private static string Name(Block block) => block.ToString().ToLowerInvariant();

    /// <summary>
    /// The line (which starts with the micro character) is micro + <paramref name="keyword"/>, then whitespace or the
    /// end; <paramref name="rest"/> follows the keyword.
    /// </summary>
    private static bool IsDirective(ReadOnlySpan<char> line, string keyword, out ReadOnlySpan<char> rest)
    {
        rest = default;
        var body = line[1..];
        if (!body.StartsWith(keyword, StringComparison.Ordinal))
        {
            return false;
        }

        rest = body[keyword.Length..];
        return rest.IsEmpty || char.IsWhiteSpace(rest[0]);
    }

    private enum IncludeKind
    {
        Plain,
        Once,
        NoPreprocess,
    }

    private void Include(IncludeKind kind, string directive, ReadOnlySpan<char> rest, string file, int lineNo)
    {
        var trimmed = rest.Trim();
        var space = trimmed.IndexOfAny(' ', '\t');
        var token = (space < 0 ? trimmed : trimmed[..space]).ToString();
        if (token.Length == 0)
        {
            Error(file, lineNo, $"{_micro}{directive} needs a file name");
            return;
        }

        if (token.Contains(_micro, StringComparison.Ordinal))
        {
            var before = _out.Length;
            SubstituteLine(token, file, lineNo, 0);
            token = _out.ToString(before, _out.Length - before);
            _out.Length = before;
        }

        var tried = new List<string>(4);
        var path = Resolve(token, file, lineNo, directive, tried);
        if (path is null)
        {
            if (tried.Count > 0)
            {
                Error(file, lineNo, $"{_micro}{directive} {token}: file not found (tried {string.Join(", ", tried)})");
            }

            return;
        }

        if (_includedOnce.Contains(path))
        {
            return;
        }

        if (kind == IncludeKind.Once)
        {
            _includedOnce.Add(path);
        }

        if (_stack.Contains(path))
        {
            Error(file, lineNo, $"include cycle: {string.Join(" -> ", _stack)} -> {path}");
            return;
        }

        string? text;
        try
        {
            text = _cache.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error(file, lineNo, $"cannot read {token} ({path}): {e.Message}");
            return;
        }

        if (text is null)
        {
            Error(file, lineNo, $"{_micro}{directive} {token}: file not found (tried {path})");
            return;
        }

        if (kind == IncludeKind.NoPreprocess)
        {
            _out.Append(text);
            if (text.Length > 0 && text[^1] != '\n')
            {
                _out.Append('\n');
            }

            return;
        }

        _stack.Add(path);
        ProcessFile(text, path);
        _stack.RemoveAt(_stack.Count - 1);
    }

    private string? Resolve(string token, string file, int lineNo, string directive, List<string> tried)
    {
        if (token.Length >= 2 && token[0] == '<' && token[^1] == '>')
        {
            var name = token[1..^1];
            if (Path.IsPathRooted(name))
            {
                return Candidate(name, tried);
            }

            if (_variables.FindNonEmpty("ECF_INCLUDE") is { } includePath)
            {
                foreach (var directory in includePath.Split(':', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Candidate(Path.Combine(directory, name), tried) is { } found)
                    {
                        return found;
                    }
                }
            }

            if (_variables.FindNonEmpty("ECF_HOME") is { } home)
            {
                return Candidate(Path.Combine(home, name), tried);
            }

            if (tried.Count == 0)
            {
                Error(file, lineNo, $"{_micro}{directive} {token}: neither ECF_INCLUDE nor ECF_HOME is defined");
            }

            return null;
        }

        if (token.Length >= 2 && token[0] == '"' && token[^1] == '"')
        {
            var name = token[1..^1];
            if (Path.IsPathRooted(name))
            {
                return Candidate(name, tried);
            }

            if (Candidate(Path.Combine(_scriptDirectory, name), tried) is { } found)
            {
                return found;
            }

            if (name.StartsWith("./", StringComparison.Ordinal) || name.StartsWith("../", StringComparison.Ordinal))
            {
                return null;
            }

            if (_variables.FindNonEmpty("ECF_HOME") is { } home && _variables.FindNonEmpty("SUITE") is { } suite
                && _variables.FindNonEmpty("FAMILY") is { } family)
            {
                return Candidate(Path.Combine(home, suite, family, name), tried);
            }

            return null;
        }

        if (token[0] is '<' or '"')
        {
            Error(file, lineNo, $"{_micro}{directive} {token}: unbalanced {(token[0] == '<' ? "<>" : "quotes")}");
            return null;
        }

        return Candidate(token, tried);
    }

    private static string? Candidate(string path, List<string> tried)
    {
        var full = Path.GetFullPath(path);
        tried.Add(full);
        return ScriptFileCache.Exists(full) ? full : null;
    }

    private void SubstituteLine(ReadOnlySpan<char> line, string file, int lineNo, int depth)
    {
        var micro = _micro;
        var pos = line.IndexOf(micro);
        if (pos < 0)
        {
            _out.Append(line);
            return;
        }

        var copyFrom = 0;
        while (pos >= 0)
        {
            if (pos + 1 < line.Length && line[pos + 1] == micro)
            {
                _out.Append(line[copyFrom..(pos + 1)]);
                copyFrom = pos + 2;
                pos = NextMicro(line, copyFrom, micro);
                continue;
            }

            var closeOffset = line[(pos + 1)..].IndexOf(micro);
            if (closeOffset < 0)
            {
                if (!line[..pos].Contains('#'))
                {
                    Error(file, lineNo, $"lone '{micro}' (a variable is {micro}NAME{micro}; write {micro}{micro} for a literal {micro})");
                }

                break;
            }

            var close = pos + 1 + closeOffset;
            var inner = line[(pos + 1)..close];
            _out.Append(line[copyFrom..pos]);
            var colon = inner.IndexOf(':');
            if (colon < 0)
            {
                AppendValue(inner.ToString(), null, file, lineNo, depth);
            }
            else
            {
                AppendValue(inner[..colon].ToString(), inner[(colon + 1)..].ToString(), file, lineNo, depth);
            }

            copyFrom = close + 1;
            pos = NextMicro(line, copyFrom, micro);
        }

        _out.Append(line[copyFrom..]);
    }

    private void AppendValue(string name, string? fallback, string file, int lineNo, int depth)
    {
        if (!_variables.TryGet(name, out var value))
        {
            if (fallback is null)
            {
                Error(file, lineNo, $"undefined variable {name}");
                return;
            }

            value = fallback;
        }

        if (value.Contains(_micro, StringComparison.Ordinal))
        {
            if (depth >= MaxExpansionDepth)
            {
                Error(file, lineNo, $"variable {name}: more than {MaxExpansionDepth} nested substitutions (does it refer to itself?)");
                return;
            }

            SubstituteLine(value, file, lineNo, depth + 1);
            return;
        }

        _out.Append(value);
    }

    private static int NextMicro(ReadOnlySpan<char> line, int from, char micro)
    {
        if (from >= line.Length)
        {
            return -1;
        }

        var offset = line[from..].IndexOf(micro);
        return offset < 0 ? -1 : from + offset;
    }

    private void Error(string file, int lineNo, string message) => _errors.Add(new PreprocessError(file, lineNo, message));
}
