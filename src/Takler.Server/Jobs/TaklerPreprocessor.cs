using System.Text;

namespace Takler.Server.Jobs;

/// <summary>
/// Pre-processes <c>.takler</c> scripts. Only three constructs are recognised; every other character passes through
/// untouched, so bash (<c>${#arr[@]}</c>, <c>{#</c>, <c>{%</c> or <c>}}</c> inside strings) survives, where a Jinja
/// template would fail:
/// <list type="bullet">
/// <item><b>Substitution</b>: <c>{{</c>, optional spaces or tabs, NAME, optional spaces or tabs, <c>}}</c>, where NAME is
/// <c>[A-Za-z_][A-Za-z0-9_]*</c>. It is replaced by the variable's value; an undefined variable is an error. Anything else
/// after <c>{{</c> (a filter, an expression, a newline) is not a substitution and is left as written.</item>
/// <item><b>Include</b>: <c>{%</c>, optional spaces, <c>include</c>, spaces, a file name in double or single quotes,
/// optional spaces, <c>%}</c>. It is replaced by the pre-processed file, less the file's final newline (as Jinja does).
/// A relative name is looked for in the including file's folder, then the script's folder, then each folder of
/// TAKLER_INCLUDE (colon-separated). A missing file or an include cycle is an error.</item>
/// <item><b>Raw</b>: <c>{% raw %}</c> ... <c>{% endraw %}</c>: the text between passes through verbatim, the tags are
/// dropped.</item>
/// </list>
/// Errors carry the file and line (<c>task.takler:12: undefined variable FOO</c>) and are all collected.
/// </summary>
public sealed class TaklerPreprocessor
{
    private readonly JobVariables _variables;
    private readonly ScriptFileCache _cache;
    private readonly string _scriptDirectory;
    private readonly StringBuilder _out;
    private readonly List<PreprocessError> _errors = [];
    private readonly List<string> _stack = [];

    private TaklerPreprocessor(JobVariables variables, ScriptFileCache cache, string scriptDirectory, int capacity)
    {
        _variables = variables;
        _cache = cache;
        _scriptDirectory = scriptDirectory;
        _out = new StringBuilder(capacity);
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
        var p = new TaklerPreprocessor(variables, cache ?? new ScriptFileCache(), Path.GetDirectoryName(full) ?? "/", text.Length + 1024);
        p._stack.Add(full);
        p.Render(text, full, directives: true);
        return new PreprocessResult(p._out.ToString(), p._errors);
    }

    /// <summary>
    /// Substitutes <c>{{ VAR }}</c> in a command template (no includes); <paramref name="source"/> names it in errors.
    /// </summary>
    public static PreprocessResult SubstituteText(string text, string source, JobVariables variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        var p = new TaklerPreprocessor(variables, new ScriptFileCache(), "/", text.Length + 256);
        p.Render(text, source, directives: false);
        return new PreprocessResult(p._out.ToString(), p._errors);
    }

    private void Render(string text, string file, bool directives)
    {
        var lines = new LineCounter(text);
        var n = text.Length;
        var copyFrom = 0;
        var i = 0;
        while (i < n - 1)
        {
            var j = text.IndexOf('{', i);
            if (j < 0 || j >= n - 1)
            {
                break;
            }

            var next = text[j + 1];
            if (next == '{' && TryMatchVariable(text, j, out var name, out var end))
            {
                _out.Append(text, copyFrom, j - copyFrom);
                if (_variables.TryGet(name, out var value))
                {
                    _out.Append(value);
                }
                else
                {
                    _errors.Add(new PreprocessError(file, lines.LineOf(j), $"undefined variable {name}"));
                }

                copyFrom = i = end;
                continue;
            }

            if (next == '%' && directives && TryMatchTag(text, j, out var keyword, out var argument, out end))
            {
                if (keyword == "include" && argument is not null)
                {
                    _out.Append(text, copyFrom, j - copyFrom);
                    Include(argument, file, lines.LineOf(j));
                    copyFrom = i = end;
                    continue;
                }

                if (keyword == "raw" && argument is null)
                {
                    _out.Append(text, copyFrom, j - copyFrom);
                    if (FindEndRaw(text, end, out var rawEnd, out var afterEndRaw))
                    {
                        _out.Append(text, end, rawEnd - end);
                        copyFrom = i = afterEndRaw;
                    }
                    else
                    {
                        _errors.Add(new PreprocessError(file, lines.LineOf(j), "{% raw %} without {% endraw %}"));
                        copyFrom = i = n;
                    }

                    continue;
                }
            }

            i = j + 1;
        }

        _out.Append(text, copyFrom, n - copyFrom);
    }

    private void Include(string name, string file, int line)
    {
        var tried = new List<string>(4);
        string? path;
        string? text;
        try
        {
            (path, text) = Resolve(name, file, tried);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _errors.Add(new PreprocessError(file, line, $"cannot read include \"{name}\" ({tried[^1]}): {e.Message}"));
            return;
        }

        if (path is null || text is null)
        {
            _errors.Add(new PreprocessError(file, line, $"include \"{name}\" not found (tried {string.Join(", ", tried)})"));
            return;
        }

        if (_stack.Contains(path))
        {
            _errors.Add(new PreprocessError(file, line, $"include cycle: {string.Join(" -> ", _stack)} -> {path}"));
            return;
        }

        var before = _out.Length;
        _stack.Add(path);
        Render(text, path, directives: true);
        _stack.RemoveAt(_stack.Count - 1);

        // Jinja drops a template's final newline; the newline after the include tag ends the line instead.
        if (text.EndsWith('\n') && _out.Length > before && _out[^1] == '\n')
        {
            _out.Length--;
            if (text.EndsWith("\r\n", StringComparison.Ordinal) && _out.Length > before && _out[^1] == '\r')
            {
                _out.Length--;
            }
        }
    }

    /// <summary>The first candidate that exists, with its text; the candidates tried are added to <paramref name="tried"/>.</summary>
    private (string? Path, string? Text) Resolve(string name, string includingFile, List<string> tried)
    {
        if (Path.IsPathRooted(name))
        {
            return TryCandidate(null, name, tried);
        }

        var found = TryCandidate(Path.GetDirectoryName(includingFile), name, tried);
        if (found.Text is null)
        {
            found = TryCandidate(_scriptDirectory, name, tried);
        }

        if (found.Text is null && _variables.FindNonEmpty("TAKLER_INCLUDE") is { } includePath)
        {
            foreach (var directory in includePath.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                found = TryCandidate(directory, name, tried);
                if (found.Text is not null)
                {
                    break;
                }
            }
        }

        return found.Text is null ? (null, null) : found;
    }

    private (string? Path, string? Text) TryCandidate(string? directory, string name, List<string> tried)
    {
        if (directory == string.Empty)
        {
            return (null, null);
        }

        var candidate = Path.GetFullPath(directory is null ? name : Path.Combine(directory, name));
        if (tried.Contains(candidate))
        {
            return (null, null);
        }

        tried.Add(candidate);
        return (candidate, _cache.Read(candidate));
    }

    /// <summary>Matches <c>{{ NAME }}</c> at <paramref name="start"/>.</summary>
    internal static bool TryMatchVariable(string text, int start, out string name, out int end)
    {
        name = string.Empty;
        end = start;
        var n = text.Length;
        var k = SkipBlanks(text, start + 2);
        if (k >= n || !IsNameStart(text[k]))
        {
            return false;
        }

        var nameStart = k;
        while (k < n && IsNamePart(text[k]))
        {
            k++;
        }

        var nameEnd = k;
        k = SkipBlanks(text, k);
        if (k + 1 >= n || text[k] != '}' || text[k + 1] != '}')
        {
            return false;
        }

        name = text.Substring(nameStart, nameEnd - nameStart);
        end = k + 2;
        return true;
    }

    /// <summary>Matches <c>{% keyword %}</c> or <c>{% keyword "argument" %}</c> at <paramref name="start"/>.</summary>
    private static bool TryMatchTag(string text, int start, out string keyword, out string? argument, out int end)
    {
        keyword = string.Empty;
        argument = null;
        end = start;
        var n = text.Length;
        var k = SkipBlanks(text, start + 2);
        var keywordStart = k;
        while (k < n && text[k] is >= 'a' and <= 'z')
        {
            k++;
        }

        if (k == keywordStart)
        {
            return false;
        }

        var keywordEnd = k;
        k = SkipBlanks(text, k);
        if (k > keywordEnd && k < n && text[k] is '"' or '\'')
        {
            var quote = text[k];
            var argumentStart = k + 1;
            k = argumentStart;
            while (k < n && text[k] != quote && text[k] != '\n')
            {
                k++;
            }

            if (k >= n || text[k] != quote || k == argumentStart)
            {
                return false;
            }

            argument = text.Substring(argumentStart, k - argumentStart);
            k = SkipBlanks(text, k + 1);
        }

        if (k + 1 >= n || text[k] != '%' || text[k + 1] != '}')
        {
            return false;
        }

        keyword = text.Substring(keywordStart, keywordEnd - keywordStart);
        end = k + 2;
        return true;
    }

    private static bool FindEndRaw(string text, int from, out int rawEnd, out int after)
    {
        var k = from;
        while ((k = text.IndexOf("{%", k, StringComparison.Ordinal)) >= 0)
        {
            if (TryMatchTag(text, k, out var keyword, out var argument, out var end) && keyword == "endraw" && argument is null)
            {
                rawEnd = k;
                after = end;
                return true;
            }

            k += 2;
        }

        rawEnd = after = text.Length;
        return false;
    }

    private static int SkipBlanks(string text, int k)
    {
        while (k < text.Length && text[k] is ' ' or '\t')
        {
            k++;
        }

        return k;
    }

    private static bool IsNameStart(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '_';

    private static bool IsNamePart(char c) => IsNameStart(c) || c is >= '0' and <= '9';

    /// <summary>Turns offsets into 1-based line numbers, counting forward from the last offset asked about.</summary>
    private sealed class LineCounter(string text)
    {
        private int _position;
        private int _line = 1;

        public int LineOf(int index)
        {
            if (index < _position)
            {
                _position = 0;
                _line = 1;
            }

            _line += text.AsSpan(_position, index - _position).Count('\n');
            _position = index;
            return _line;
        }
    }
}
