using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Definitions;

/// <summary>
/// Reads ecFlow's definition language into the model, statement by statement. Stops at the first error with a
/// <see cref="DefinitionException"/> naming file, line, column and what was expected; an error thrown by the model
/// (a bad date, a duplicate name) is reported at the token that caused it. References between nodes are not looked
/// at here: that is <see cref="DefsChecker"/>'s job, once the whole file is read.
/// </summary>
/// <remarks>
/// Reading a large suite is one long batch run once, so the hot methods of the reader, checker and writer are marked
/// <see cref="MethodImplOptions.AggressiveOptimization"/>: they are compiled optimised on first use instead of running
/// unoptimised code until tiered compilation catches up (on a busy machine, most of the load).
/// </remarks>
internal sealed class DefsParser
{
    private readonly string _file;
    private readonly DefsLexer _lexer;
    private readonly StringPool _pool = new();
    private readonly DefsSourceMap _source = new();
    private readonly List<Flow> _flows = [];
    private readonly Dictionary<string, Flow> _flowsByName = new(StringComparer.Ordinal);
    private readonly List<string> _externs = [];
    private readonly List<Parameter> _serverParameters = [];
    private readonly List<Diagnostic> _warnings = [];
    private Frame[] _frames = new Frame[16];
    private int _depth;
    private string? _stateStyle;

    /// <summary>The token blamed when the model rejects a value.</summary>
    private int _at;

    public DefsParser(string text, string fileName)
    {
        _file = fileName;
        _lexer = new DefsLexer(text);
    }

    /// <summary>Reads from <paramref name="reader"/>; <paramref name="bufferSize"/> is the lexer's initial buffer (tests make it tiny).</summary>
    public DefsParser(TextReader reader, string fileName, int bufferSize = 1 << 16)
    {
        _file = fileName;
        _lexer = new DefsLexer(reader, bufferSize);
    }

    private List<DefsToken> Tokens => _lexer.Tokens;

    private int Count => _lexer.Tokens.Count;

    private Node? Top => _depth > 0 ? _frames[_depth - 1].Node : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DefsFile Parse()
    {
        while (_lexer.Next())
        {
            _at = 0;
            try
            {
                Statement();
            }
            catch (DefinitionException)
            {
                throw;
            }
            catch (TaklerException ex)
            {
                throw Error(_at, ex.Message, ex);
            }
        }

        return new DefsFile(_file, _flows, _externs, _serverParameters, _stateStyle, _source, _pool, _warnings);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Statement()
    {
        var keyword = Span(0);
        switch (keyword)
        {
            case "suite":
                BeginSuite();
                return;
            case "family":
                BeginChild(isFamily: true);
                return;
            case "task":
                BeginChild(isFamily: false);
                return;
            case "endsuite":
                EndSuite();
                return;
            case "endfamily":
                EndFamily();
                return;
            case "endtask":
                EndTask();
                return;
            case "extern":
                Extern();
                return;
            case "defs_state":
                _stateStyle = Count > 1 ? Str(1) : "STATE";
                return;
            case "history":
                return;
            case "edit":
                Edit();
                return;
        }

        var node = RequireNode(keyword);
        switch (keyword)
        {
            case "trigger":
                Expression(node, trigger: true);
                break;
            case "complete":
                Expression(node, trigger: false);
                break;
            case "event":
                ParseEvent(node);
                break;
            case "meter":
                ParseMeter(node);
                break;
            case "label":
                ParseLabel(node);
                break;
            case "limit":
                ParseLimit(node);
                break;
            case "inlimit":
                ParseInLimit(node);
                break;
            case "repeat":
                ParseRepeat(node);
                break;
            case "defstatus":
                ParseDefStatus(node);
                break;
            case "late":
                ParseLate(node);
                break;
            case "time":
            case "today":
                NotOnSuite(node);
                node.AddTime(new TimeAttribute(ParseSeries(1, "time"), isToday: keyword is "today"));
                break;
            case "date":
                NotOnSuite(node);
                ParseDate(node);
                break;
            case "day":
                NotOnSuite(node);
                Need(2, "a day of the week (monday ... sunday)");
                _at = 1;
                node.AddDay(DayAttribute.Parse(Str(1)));
                break;
            case "cron":
                ParseCron(node);
                break;
            case "clock":
                ParseClock(node, end: false);
                break;
            case "endclock":
                ParseClock(node, end: true);
                break;
            case "calendar":
                break;
            case "alias":
                ParseAlias(node);
                break;
            default:
                if (!KeptAttributeRules.IsKept(keyword))
                {
                    throw Error(0, $"unknown keyword '{keyword}' in {Describe(node)}");
                }

                ParseKept(node, Str(0));
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Node RequireNode(ReadOnlySpan<char> keyword)
    {
        if (Top is { } node)
        {
            return node;
        }

        throw IsAttributeKeyword(keyword)
            ? Error(0, $"'{keyword}' must be inside a suite, family or task")
            : Error(0, $"expected 'suite' or 'extern' but found '{keyword}'");
    }

    private static bool IsAttributeKeyword(ReadOnlySpan<char> keyword) => keyword is
        "trigger" or "complete" or "event" or "meter" or "label" or "limit" or "inlimit" or "repeat" or "defstatus" or
        "late" or "time" or "today" or "date" or "day" or "cron" or "clock" or "endclock" or "calendar" or "alias" ||
        KeptAttributeRules.IsKept(keyword);

    // ---- nodes -------------------------------------------------------------------------------------------------

    private void BeginSuite()
    {
        Need(2, "a suite name");
        if (_depth > 0)
        {
            throw ExpectedEnd("suite");
        }

        _at = 1;
        var name = Str(1);
        if (_flowsByName.TryGetValue(name, out var existing))
        {
            throw Error(1, $"a suite named '{name}' is already defined{AtLine(existing)}");
        }

        var flow = new Flow(name);
        NoMore(2, "the suite name");
        _flows.Add(flow);
        _flowsByName.Add(name, flow);
        Push(flow);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BeginChild(bool isFamily)
    {
        var keyword = isFamily ? "family" : "task";
        Need(2, isFamily ? "a family name" : "a task name");
        PopTask();
        if (Top is not NodeContainer parent)
        {
            throw Error(0, $"'{keyword}' must be inside a suite or family");
        }

        _at = 1;
        var name = Str(1);
        Node child = isFamily ? new Family(name) : new Task(name);
        NoMore(2, isFamily ? "the family name" : "the task name");
        try
        {
            parent.AddChild(child);
        }
        catch (TaklerException ex) when (parent.FindChild(name) is { } existing)
        {
            throw Error(1, $"{parent.Path} already has a {Kind(existing)} named '{name}'{AtLine(existing)}; names must be unique among siblings", ex);
        }

        Push(child);
    }

    private void EndSuite()
    {
        PopTask();
        if (_depth == 0)
        {
            throw Error(0, "'endsuite' without an open suite");
        }

        // ecFlow lets endsuite close families left open (its own corpus has one); say so, but load.
        for (var i = _depth - 1; i >= 1; i--)
        {
            var frame = _frames[i];
            _warnings.Add(new Diagnostic(
                DiagnosticSeverity.Warning,
                _file,
                Tokens[0].Line,
                Tokens[0].Column,
                $"'endsuite' closes family {frame.Node.Path} opened at line {frame.Line} without its 'endfamily'",
                frame.Node.Path));
        }

        _depth = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EndFamily()
    {
        PopTask();
        if (_depth == 0)
        {
            throw Error(0, "'endfamily' without an open family");
        }

        if (Top is not Family)
        {
            throw ExpectedEnd("endfamily");
        }

        _depth--;
    }

    private void EndTask()
    {
        if (Top is not Task)
        {
            throw Error(0, "'endtask' without an open task");
        }

        _depth--;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Push(Node node)
    {
        var token = Tokens[0];
        var index = _source.AddNode(node, token.Line, token.Column);
        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        _frames[_depth++] = new Frame { Node = node, Line = token.Line, SourceIndex = index };
        if (_stateStyle is not null && _lexer.CommentStart >= 0)
        {
            RestoreNodeState(node, _lexer.Comment);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PopTask()
    {
        if (_depth > 0 && _frames[_depth - 1].Node is Task)
        {
            _depth--;
        }
    }

    private DefinitionException ExpectedEnd(string found)
    {
        var i = _depth - 1;
        if (_frames[i].Node is Task)
        {
            i--;
        }

        var frame = _frames[i];
        var kind = frame.Node is Flow ? "suite" : "family";
        return Error(0, $"expected 'end{kind}' for {kind} {frame.Node.Name} opened at line {frame.Line} but found '{found}'");
    }

    private void Extern()
    {
        if (_depth > 0)
        {
            throw Error(0, $"'extern' must come before or between suites, not inside {Describe(Top!)}");
        }

        Need(2, "a node path");
        _externs.Add(Str(1));
    }

    /// <summary>`suite s # begun:1 state:queued suspended:1`, `task t # try:1 state:complete rid:123`.</summary>
    private static void RestoreNodeState(Node node, ReadOnlySpan<char> comment)
    {
        foreach (var range in comment.Split(' '))
        {
            var word = comment[range];
            var colon = word.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var key = word[..colon];
            var value = word[(colon + 1)..];
            switch (key)
            {
                case "state" when NodeStatuses.TryParse(value.ToString(), out var status):
                    node.RestoreStatus(status);
                    break;
                case "suspended":
                    node.Suspended = value is "1";
                    break;
                case "begun" when node is Flow flow:
                    flow.Begun = value is "1";
                    break;
                case "try" when node is Task task && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var tryNo):
                    task.TryNo = tryNo;
                    break;
                case "rid" when node is Task task:
                    task.TaskId = value.ToString();
                    break;
                case "passwd" when node is Task task:
                    task.Password = value.ToString();
                    break;
            }
        }
    }

    // ---- attributes --------------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Edit()
    {
        Need(2, "a variable name and value");
        var name = Span(1);
        if (!IsName(name))
        {
            throw Error(1, $"invalid variable name '{name}': must start with a letter, digit or '_' and contain only letters, digits, '_' or '.'");
        }

        if (Count < 3)
        {
            throw Error(2, $"expected a value after 'edit {name}' (use '' for an empty value)");
        }

        var parameter = Parameter.Text(Str(1), Count == 3 ? Unquoted(2) : JoinRaw(2));
        if (Top is { } node)
        {
            node.AddParameter(parameter);
            return;
        }

        if (_stateStyle is null)
        {
            throw Error(0, "'edit' must be inside a suite, family or task");
        }

        var index = _serverParameters.FindIndex(p => p.Name == parameter.Name);
        if (index >= 0)
        {
            _serverParameters[index] = parameter;
        }
        else
        {
            _serverParameters.Add(parameter);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Expression(Node node, bool trigger)
    {
        var keyword = trigger ? "trigger" : "complete";
        NotOnSuite(node);
        var first = 1;
        var join = ExpressionJoin.None;
        if (Count > 1 && Span(1) is "-a" or "-o")
        {
            join = Span(1) is "-a" ? ExpressionJoin.And : ExpressionJoin.Or;
            first = 2;
        }

        Need(first + 1, "an expression");
        var existing = trigger ? node.Trigger : node.Complete;
        if (existing is null && join != ExpressionJoin.None)
        {
            throw Error(1, $"the first {keyword} of a node cannot have {Span(1)}: -a/-o continue an earlier {keyword}");
        }

        if (existing is not null && join == ExpressionJoin.None)
        {
            throw Error(0, $"{node.Path} already has a {keyword}{AtLine(existing.Parts[0])}; continue it with '{keyword} -a' or '{keyword} -o'");
        }

        // As ecFlow does, blanks between the expression's words are normalised to one: `a  ==complete` stays one
        // word, `a  == complete` becomes `a == complete`.
        var start = Tokens[first];
        var slice = _lexer.Slice(start, Tokens[^1]);
        var text = _lexer.Continued || slice.Contains("  ", StringComparison.Ordinal) || slice.ContainsAny("\t\f\v\r")
            ? _pool.Get(JoinRaw(first))
            : _pool.Get(slice);
        _at = first;
        if (trigger)
        {
            node.AddTrigger(text, join);
        }
        else
        {
            node.AddComplete(text, join);
        }

        var attribute = (trigger ? node.Trigger : node.Complete)!;
        var kind = trigger ? SourceItemKind.TriggerPart : SourceItemKind.CompletePart;
        _source.AddItem(_frames[_depth - 1].SourceIndex, kind, attribute.Parts[^1], start.Line, start.Column);
        if (_stateStyle is not null && _lexer.Comment is "free")
        {
            attribute.Free = true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ParseEvent(Node node)
    {
        Need(2, "an event name or number");
        var i = 1;
        int? number = null;
        var name = string.Empty;
        if (IsDigits(Span(1)))
        {
            number = ParseInt(1, "the event number");
            i = 2;
            if (Count > 2 && Span(2) is not ("set" or "clear"))
            {
                name = Str(2);
                _at = 2;
                i = 3;
            }
        }
        else
        {
            name = Str(1);
            _at = 1;
            i = 2;
        }

        var initial = Count > i && Span(i) is "set";
        var value = new Event(name, initial, number);
        node.AddEvent(value);
        if (_stateStyle is not null)
        {
            switch (_lexer.Comment)
            {
                case "set":
                    value.Value = true;
                    break;
                case "clear":
                    value.Value = false;
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ParseMeter(Node node)
    {
        Need(4, "'meter name min max [threshold]'");
        var min = ParseInt(2, "the meter minimum");
        var max = ParseInt(3, "the meter maximum");
        int? threshold = Count > 4 ? ParseInt(4, "the meter threshold") : null;
        _at = 1;
        var meter = new Meter(Str(1), min, max, threshold);
        node.AddMeter(meter);
        if (_stateStyle is not null && int.TryParse(_lexer.Comment, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            meter.SetValue(value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ParseLabel(Node node)
    {
        Need(3, "'label name \"text\"'");
        _at = 1;
        var label = new Label(Str(1), Count == 3 ? Unquoted(2) : JoinRaw(2));
        node.AddLabel(label);
        if (_stateStyle is not null && _lexer.Comment is { Length: >= 2 } comment && comment[0] == '"' && comment[^1] == '"')
        {
            label.Text = comment[1..^1].ToString();
        }
    }

    private void ParseLimit(Node node)
    {
        Need(3, "'limit name max'");
        var max = ParseInt(2, "the limit size");
        _at = 1;
        var limit = new Limit(Str(1), max);
        node.AddLimit(limit);
        if (_stateStyle is not null && _lexer.Comment is { Length: > 0 } comment)
        {
            var words = comment.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                limit.RestoreUsage(words.Skip(1).Select(p => new KeyValuePair<string, int>(p, 1)), value);
            }
        }
    }

    private void ParseInLimit(Node node)
    {
        var i = 1;
        bool families = false, submission = false;
        while (i < Count && Span(i) is ['-', ..])
        {
            switch (Span(i))
            {
                case "-n":
                    families = true;
                    break;
                case "-s":
                    submission = true;
                    break;
                default:
                    throw Error(i, $"unknown inlimit option '{Span(i)}': expected -n (limit families) or -s (limit submission)");
            }

            i++;
        }

        if (families && submission)
        {
            throw Error(0, "an inlimit cannot have both -n (limit families) and -s (limit submission)");
        }

        Need(i + 1, "a limit name ([path:]name)");
        var spec = Span(i);
        var colon = spec.LastIndexOf(':');
        var path = colon >= 0 ? _pool.Get(spec[..colon]) : null;
        var name = _pool.Get(spec[(colon + 1)..]);
        var tokens = Count > i + 1 ? ParseInt(i + 1, "the inlimit tokens") : 1;
        _at = i;
        var inLimit = new InLimit(name, path, tokens, families, submission);
        node.AddInLimit(inLimit);
        _source.AddItem(_frames[_depth - 1].SourceIndex, SourceItemKind.InLimit, inLimit, Tokens[i].Line, Tokens[i].Column);
    }

    private void ParseDefStatus(Node node)
    {
        Need(2, "a status (queued, complete, suspended, aborted, active, unknown, submitted)");
        ref var frame = ref _frames[_depth - 1];
        if (frame.DefStatusSeen)
        {
            throw Error(0, $"{node.Path} already has a defstatus; a node has at most one");
        }

        if (!DefaultStatuses.TryParse(Span(1).ToString(), out var status))
        {
            throw Error(1, $"unknown defstatus '{Span(1)}': expected queued, complete, suspended, aborted, active, unknown or submitted");
        }

        node.DefaultStatus = status;
        frame.DefStatusSeen = true;
    }

    private void ParseLate(Node node)
    {
        if (node.Late is not null)
        {
            throw Error(0, $"{node.Path} already has a late; a node has at most one");
        }

        TimeSpan? submitted = null, active = null, complete = null;
        var completeRelative = false;
        for (var i = 1; i < Count; i += 2)
        {
            var option = Span(i);
            Need(i + 2, "a time");
            var value = Span(i + 1);
            switch (option)
            {
                case "-s":
                    submitted = submitted is null ? ParseClockToken(i + 1, allowPlus: true) : throw Error(i, "late -s is given twice");
                    break;
                case "-a":
                    active = active is null ? ParseClockToken(i + 1, allowPlus: false) : throw Error(i, "late -a is given twice");
                    break;
                case "-c":
                    complete = complete is null ? ParseClockToken(i + 1, allowPlus: true) : throw Error(i, "late -c is given twice");
                    completeRelative = value[0] == '+';
                    break;
                default:
                    throw Error(i, $"unknown late option '{option}': expected -s, -a or -c");
            }
        }

        if (submitted is null && active is null && complete is null)
        {
            throw Error(0, "late needs at least one of -s +hh:mm, -a hh:mm, -c [+]hh:mm");
        }

        node.Late = new LateAttribute(submitted, active, complete, completeRelative);
        if (_stateStyle is not null && _lexer.Comment is "late")
        {
            node.IsLate = true;
        }
    }

    private TimeSeries ParseSeries(int from, string what)
    {
        var count = Count - from;
        if (count is not (1 or 3))
        {
            throw Error(count == 0 ? from : from + Math.Min(count, 1), $"expected {Span(0)} [+]hh:mm or [+]hh:mm hh:mm hh:mm (start, end, increment)");
        }

        var first = Span(from);
        var relative = first.Length > 0 && first[0] == '+';
        var start = ParseClockToken(from, allowPlus: true);
        if (count == 1)
        {
            _at = from;
            return new TimeSeries(start, relative: relative);
        }

        var end = ParseClockToken(from + 1, allowPlus: false);
        var increment = ParseClockToken(from + 2, allowPlus: false);
        _at = from;
        var series = new TimeSeries(start, end, increment, relative);
        if (increment > end - start)
        {
            throw Error(from + 2, $"{what} increment {Span(from + 2)} is longer than the time from {TimeSeries.Format(start)} to {TimeSeries.Format(end)}");
        }

        return series;
    }

    private TimeSpan ParseClockToken(int i, bool allowPlus)
    {
        var text = Span(i);
        if (allowPlus && text.Length > 0 && text[0] == '+')
        {
            text = text[1..];
        }

        return DefsTime.ParseClock(text, out var value) is { } error ? throw Error(i, error) : value;
    }

    private void ParseDate(Node node)
    {
        Need(2, "a date dd.mm.yyyy (* for any)");
        var text = Span(1);
        var parts = text.ToString().Split('.');
        if (parts.Length != 3)
        {
            throw Error(1, $"'{text}' is not a date (dd.mm.yyyy, * for any)");
        }

        var day = DateField(parts[0], 1, 31, "day", text);
        var month = DateField(parts[1], 1, 12, "month", text);
        var year = DateField(parts[2], 1400, 9999, "year", text);
        _at = 1;
        node.AddDate(new DateAttribute(day, month, year));
    }

    private int DateField(string part, int min, int max, string what, ReadOnlySpan<char> text)
    {
        if (part == "*")
        {
            return 0;
        }

        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(1, $"'{text}' is not a date (dd.mm.yyyy, * for any)");
        }

        return value < min || value > max ? throw Error(1, $"{what} {value} in date '{text}' is outside {min}..{max}") : value;
    }

    private void ParseCron(Node node)
    {
        if (node.Repeat is not null)
        {
            throw Error(0, $"{node.Path} has a repeat; a node cannot have both a repeat and a cron");
        }

        var i = 1;
        List<int>? weekDays = null, lastWeekDays = null, days = null, months = null;
        var lastDay = false;
        while (i < Count && Span(i) is "-w" or "-d" or "-m")
        {
            var option = Span(i).ToString();
            Need(i + 2, "a list of numbers");
            var listToken = i + 1;
            var list = new StringBuilder().Append(Span(listToken));
            i += 2;

            // ecFlow allows blanks around the commas: "-w 0 , 1, 2".
            while (i < Count && (list[^1] == ',' || Span(i)[0] == ','))
            {
                list.Append(Span(i));
                i++;
            }

            foreach (var item in list.ToString().Split(','))
            {
                var text = item.AsSpan();
                var last = option != "-m" && text.Length > 0 && text[^1] == 'L';
                if (option == "-d" && text is "L")
                {
                    lastDay = true;
                    continue;
                }

                if (last && option == "-w")
                {
                    text = text[..^1];
                }

                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    throw Error(listToken, $"invalid cron {option} value '{item}'");
                }

                var (target, min, max, what) = option switch
                {
                    "-w" => (last ? (lastWeekDays ??= []) : (weekDays ??= []), 0, 6, "day of the week (0 = Sunday .. 6 = Saturday)"),
                    "-d" => (days ??= [], 1, 31, "day of the month"),
                    _ => (months ??= [], 1, 12, "month"),
                };
                if (value < min || value > max)
                {
                    throw Error(listToken, $"cron {option} {what} {value} is outside {min}..{max}");
                }

                target.Add(value);
            }
        }

        var series = ParseSeries(i, "cron");
        _at = 0;
        node.AddCron(new CronAttribute(series, weekDays, days, lastDay, months, lastWeekDays));
    }

    private void ParseClock(Node node, bool end)
    {
        var keyword = end ? "endclock" : "clock";
        if (node is not Flow flow)
        {
            throw Error(0, $"'{keyword}' is only allowed on a suite, not in {Describe(node)}");
        }

        if ((end ? flow.EndClock : flow.Clock) is not null)
        {
            throw Error(0, $"suite {flow.Name} already has a {keyword}");
        }

        var i = 1;
        var hybrid = flow.Clock?.Hybrid ?? false;
        if (!end)
        {
            if (Count < 2 || Span(1) is not ("real" or "hybrid"))
            {
                throw Error(1, "expected 'clock real' or 'clock hybrid'");
            }

            hybrid = Span(1) is "hybrid";
            i = 2;
        }
        else if (Count > 1 && Span(1) is "real" or "hybrid")
        {
            throw Error(1, "endclock takes no clock type (it has the clock's)");
        }

        DateOnly? date = null;
        if (i < Count && Span(i).Contains('.'))
        {
            date = ParseClockDate(i++);
        }

        var gain = TimeSpan.Zero;
        var gainGiven = false;
        if (i < Count)
        {
            gain = ParseGain(i++);
            gainGiven = true;
        }

        NoMore(i, keyword);
        var clock = new ClockAttribute(hybrid, date, gain, gainGiven);
        var (start, stop) = end ? (flow.Clock, clock) : (clock, flow.EndClock);
        if (start is not null && stop is not null && !EndsAfter(start, stop))
        {
            throw Error(0, $"the endclock of suite {flow.Name} must be after its clock");
        }

        if (end)
        {
            flow.EndClock = clock;
        }
        else
        {
            flow.Clock = clock;
            if (flow.EndClock is { } endClock)
            {
                flow.EndClock = endClock with { Hybrid = hybrid };
            }
        }
    }

    /// <summary>With dates on both, the end (date + gain) must be later; with neither, its gain must not be smaller.</summary>
    private static bool EndsAfter(ClockAttribute start, ClockAttribute end)
    {
        if (start.StartDate is { } a && end.StartDate is { } b)
        {
            return b.ToDateTime(TimeOnly.MinValue) + end.Gain > a.ToDateTime(TimeOnly.MinValue) + start.Gain;
        }

        return start.StartDate is not null || end.StartDate is not null || end.Gain >= start.Gain;
    }

    private DateOnly ParseClockDate(int i)
    {
        var text = Span(i);
        var parts = text.ToString().Split('.');
        if (parts.Length == 3 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var day) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var month) &&
            int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var year) &&
            year is >= 1400 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            return new DateOnly(year, month, day);
        }

        throw Error(i, $"invalid clock date '{text}': expected a real date dd.mm.yyyy (no wildcards)");
    }

    private TimeSpan ParseGain(int i)
    {
        var text = Span(i);
        var sign = text.Length > 0 && text[0] == '-' ? -1 : 1;
        var body = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
        if (body.Length > 0 && IsDigits(body) && long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(sign * seconds);
        }

        if (DefsTime.ParseClock(body, out var clock) is null)
        {
            return sign * clock;
        }

        throw Error(i, $"invalid clock gain '{text}': expected seconds or [+|-]hh:mm");
    }

    private void ParseRepeat(Node node)
    {
        Need(2, "a repeat kind (integer, date, datelist, datetime, day, enumerated, string)");
        var kind = Span(1);
        if (kind is "file")
        {
            // ecFlow parses `repeat file` and ignores it; it is kept to be written back.
            node.AddKeptAttribute(new KeptAttribute("repeat", Verbatim(1)));
            return;
        }

        if (node.Repeat is not null)
        {
            throw Error(0, $"{node.Path} already has a repeat ({node.Repeat.Name}); a node has at most one");
        }

        if (node.Crons.Count > 0)
        {
            throw Error(0, $"{node.Path} has a cron; a node cannot have both a cron and a repeat");
        }

        Repeat repeat;
        var name = Count > 2 ? Str(2) : string.Empty;
        switch (kind)
        {
            case "integer":
                {
                    Need(5, "'repeat integer NAME start end [step]'");
                    var start = ParseLong(3, "the start");
                    var end = ParseLong(4, "the end");
                    var step = Count > 5 ? ParseLong(5, "the step") : 1;
                    _at = 2;
                    repeat = new RepeatInteger(name, start, end, step);
                    break;
                }

            case "date":
                {
                    Need(5, "'repeat date NAME yyyymmdd yyyymmdd [step]'");
                    if (IsDigits(Span(2)) && Span(2).Length == 8)
                    {
                        throw Error(2, "expected the repeat's variable name before its dates");
                    }

                    var start = ParseYmd(3);
                    var end = ParseYmd(4);
                    var step = Count > 5 ? ParseInt(5, "the step in days") : 1;
                    _at = 2;
                    repeat = new RepeatDate(name, start, end, step);
                    break;
                }

            case "datelist":
                {
                    Need(4, "'repeat datelist NAME yyyymmdd ...'");
                    var dates = new List<long>(Count - 3);
                    for (var i = 3; i < Count; i++)
                    {
                        dates.Add(ParseYmd(i));
                    }

                    _at = 2;
                    repeat = new RepeatDateList(name, dates);
                    break;
                }

            case "datetime":
                {
                    Need(5, "'repeat datetime NAME yyyymmddTHHMMSS yyyymmddTHHMMSS [HH[:MM[:SS]]]'");
                    var start = ParseInstant(3);
                    var end = ParseInstant(4);
                    var step = Count > 5 ? ParseDuration(5) : TimeSpan.FromDays(1);
                    _at = 2;
                    repeat = new RepeatDateTime(name, start, end, step);
                    break;
                }

            case "day":
                {
                    Need(3, "'repeat day step'");
                    var step = ParseInt(2, "the step in days");
                    NoMore(3, "repeat day step (an end date is not supported)");
                    _at = 2;
                    repeat = new RepeatDay(step);
                    break;
                }

            case "enumerated":
            case "string":
                {
                    Need(4, "a variable name and values");
                    var values = new string[Count - 3];
                    for (var i = 3; i < Count; i++)
                    {
                        values[i - 3] = Unquoted(i);
                    }

                    _at = 2;
                    repeat = kind is "string" ? new RepeatString(name, values) : new RepeatEnumerated(name, values);
                    break;
                }

            case "month" or "year" or "datetimelist":
                throw Error(1, $"repeat {kind} is not supported");
            default:
                throw Error(1, $"unknown repeat kind '{kind}': expected integer, date, datelist, datetime, day, enumerated or string");
        }

        node.AddRepeat(repeat);
        if (_stateStyle is not null && _lexer.Comment is { Length: > 0 } comment)
        {
            RestoreRepeat(repeat, comment);
        }
    }

    /// <summary>The value after `#`: the value for integer, date and datetime repeats, the index for the others.</summary>
    private void RestoreRepeat(Repeat repeat, ReadOnlySpan<char> comment)
    {
        _at = 0;
        switch (repeat)
        {
            case RepeatInteger integer when long.TryParse(comment, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value):
                repeat.SetPosition((int)((value - integer.Start) / integer.Step));
                break;
            case RepeatDate date when long.TryParse(comment, NumberStyles.None, CultureInfo.InvariantCulture, out var value):
                date.SetDate(value);
                break;
            case RepeatDateTime dateTime when RepeatDateTime.TryParseInstant(comment.ToString(), out var instant):
                repeat.SetPosition((int)((instant - dateTime.Start).Ticks / dateTime.Step.Ticks));
                break;
            case RepeatDay:
                break;
            default:
                if (int.TryParse(comment, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    repeat.SetPosition(index);
                }

                break;
        }
    }

    private long ParseYmd(int i)
    {
        var text = Span(i);
        if (text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0])
        {
            text = text[1..^1];
        }

        if (text.Length != 8 || !IsDigits(text))
        {
            throw Error(i, $"expected a date yyyymmdd but found '{Span(i)}'");
        }

        _at = i;
        var value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        RepeatDates.Parse(value, "repeat");
        return value;
    }

    private DateTime ParseInstant(int i)
    {
        var text = Unquoted(i);
        if (RepeatDateTime.TryParseInstant(text, out var value) ||
            DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return value;
        }

        throw Error(i, $"expected an instant yyyymmddTHHMMSS but found '{text}'");
    }

    private TimeSpan ParseDuration(int i)
    {
        var parts = Span(i).ToString().Split(':');
        var fields = new int[3];
        if (parts.Length <= 3)
        {
            var ok = true;
            for (var p = 0; p < parts.Length; p++)
            {
                ok &= int.TryParse(parts[p], NumberStyles.None, CultureInfo.InvariantCulture, out fields[p]) && (p == 0 || fields[p] < 60);
            }

            if (ok)
            {
                return new TimeSpan(fields[0], fields[1], fields[2]);
            }
        }

        throw Error(i, $"expected a duration HH[:MM[:SS]] but found '{Span(i)}'");
    }

    private void ParseAlias(Node node)
    {
        if (node is not Task task)
        {
            throw Error(0, $"'alias' is only allowed in a task, not in {Describe(node)}");
        }

        Need(2, "an alias name");
        var name = Str(1);
        var line = Tokens[0].Line;
        var lines = new List<string>();
        if (!_lexer.ReadLinesUntil("endalias", lines))
        {
            throw Error(0, $"expected 'endalias' for alias {name} opened at line {line} but the file ended");
        }

        task.AddKeptAttribute(new KeptAttribute("alias", name) { Lines = lines });
    }

    private void ParseKept(Node node, string keyword)
    {
        var args = new List<string>(Count - 1);
        for (var i = 1; i < Count; i++)
        {
            args.Add(Span(i).ToString());
        }

        if (KeptAttributeRules.Check(keyword, args, node) is { } problem)
        {
            throw Error(problem.Argument < 0 ? 0 : problem.Argument + 1, problem.Message);
        }

        var kept = new KeptAttribute(keyword, Verbatim(1));
        node.AddKeptAttribute(kept);
        _source.AddItem(_frames[_depth - 1].SourceIndex, SourceItemKind.Kept, kept, Tokens[0].Line, Tokens[0].Column);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private void NotOnSuite(Node node)
    {
        if (node is Flow)
        {
            throw Error(0, $"'{Span(0)}' is not allowed on a suite (suite {node.Name}); put it on a family or task");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Need(int count, string what)
    {
        if (Count < count)
        {
            throw Error(Count, $"expected {what} after '{JoinRaw(0)}'");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void NoMore(int count, string after)
    {
        if (Count > count)
        {
            throw Error(count, $"unexpected '{Span(count)}' after {after}");
        }
    }

    private ReadOnlySpan<char> Span(int i) => _lexer.Span(Tokens[i]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string Str(int i) => _pool.Get(Span(i));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string Unquoted(int i)
    {
        var text = Span(i);
        if (text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0])
        {
            text = text[1..^1];
        }

        return _pool.Get(text);
    }

    /// <summary>The tokens from <paramref name="from"/> on, joined by single blanks (as ecFlow does for multi-word values).</summary>
    private string JoinRaw(int from)
    {
        if (from >= Count)
        {
            return string.Empty;
        }

        if (from == Count - 1)
        {
            return Str(from);
        }

        var builder = new StringBuilder();
        for (var i = from; i < Count; i++)
        {
            if (i > from)
            {
                builder.Append(' ');
            }

            builder.Append(Span(i));
        }

        return builder.ToString();
    }

    /// <summary>The source text from token <paramref name="from"/> to the last token, as written.</summary>
    private string Verbatim(int from) => from >= Count ? string.Empty : _lexer.Slice(Tokens[from], Tokens[^1]).ToString();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ParseInt(int i, string what) =>
        int.TryParse(Span(i), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(i, $"expected an integer for {what} but found '{Span(i)}'");

    private long ParseLong(int i, string what) =>
        long.TryParse(Span(i), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(i, $"expected an integer for {what} but found '{Span(i)}'");

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    private static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name[1..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Kind(Node node) => node switch
    {
        Flow => "suite",
        Family => "family",
        _ => "task",
    };

    private static string Describe(Node node) => $"{Kind(node)} {node.Path}";

    private string AtLine(object item) => _source.Find(item) is { } position ? $" at line {position.Line}" : string.Empty;

    private DefinitionException Error(int token, string message, Exception? inner = null)
    {
        int line, column;
        if (Count == 0)
        {
            (line, column) = (_lexer.Line, 1);
        }
        else if (token < Count)
        {
            (line, column) = (Tokens[token].Line, Tokens[token].Column);
        }
        else
        {
            var last = Tokens[^1];
            (line, column) = (last.Line, last.Column + last.Length + 1);
        }

        var diagnostic = new Diagnostic(DiagnosticSeverity.Error, _file, line, column, message, Top?.Path);
        return inner is null ? new DefinitionException(diagnostic) : new DefinitionException(diagnostic, inner);
    }

    private struct Frame
    {
        public Node Node;
        public int Line;
        public int SourceIndex;
        public bool DefStatusSeen;
    }
}
