namespace Takler.Core.Definitions.SnapshotJson;

/// <summary>The property names of the snapshot format, shared by <see cref="SnapshotWriter"/> and <see cref="SnapshotReader"/>.</summary>
internal static class SnapshotNames
{
    public const string Format = "format";
    public const string Version = "version";
    public const string Bunch = "bunch";
    public const string Flow = "flow";

    // Bunch
    public const string Host = "host";
    public const string Port = "port";
    public const string Home = "home";
    public const string Parameters = "parameters";
    public const string Flows = "flows";

    // Node
    public const string Kind = "kind";
    public const string Name = "name";
    public const string Status = "status";
    public const string Suspended = "suspended";
    public const string IsLate = "isLate";
    public const string DefStatus = "defstatus";
    public const string RequeuedAt = "requeuedAt";
    public const string Events = "events";
    public const string Meters = "meters";
    public const string Labels = "labels";
    public const string Limits = "limits";
    public const string InLimits = "inlimits";
    public const string Trigger = "trigger";
    public const string Complete = "complete";
    public const string Repeat = "repeat";
    public const string Times = "times";
    public const string Dates = "dates";
    public const string Days = "days";
    public const string Crons = "crons";
    public const string Late = "late";
    public const string Kept = "kept";
    public const string Children = "children";

    // Flow
    public const string Clock = "clock";
    public const string EndClock = "endClock";
    public const string Begun = "begun";
    public const string Calendar = "calendar";
    public const string InitialTime = "initialTime";
    public const string FlowTime = "flowTime";
    public const string Duration = "duration";
    public const string Increment = "increment";
    public const string InitialRealTime = "initialRealTime";
    public const string LastRealTime = "lastRealTime";
    public const string Hybrid = "hybrid";
    public const string StartDate = "startDate";
    public const string Gain = "gain";
    public const string GainGiven = "gainGiven";

    // Task
    public const string TaskId = "taskId";
    public const string AbortedReason = "abortedReason";
    public const string TryNo = "tryNo";
    public const string Password = "password";
    public const string SubmittedAt = "submittedAt";
    public const string ActiveAt = "activeAt";
    public const string FinishedAt = "finishedAt";
    public const string AbortedByOperator = "abortedByOperator";
    public const string Script = "script";

    // Attributes
    public const string Value = "value";
    public const string Number = "number";
    public const string Initial = "initial";
    public const string Min = "min";
    public const string Max = "max";
    public const string Threshold = "threshold";
    public const string Default = "default";
    public const string Text = "text";
    public const string Holders = "holders";
    public const string Path = "path";
    public const string Tokens = "tokens";
    public const string Families = "families";
    public const string SubmissionOnly = "submissionOnly";
    public const string Parts = "parts";
    public const string Join = "join";
    public const string Free = "free";
    public const string Start = "start";
    public const string End = "end";
    public const string Step = "step";
    public const string Values = "values";
    public const string Position = "position";
    public const string Exhausted = "exhausted";
    public const string Relative = "relative";
    public const string Today = "today";
    public const string NextSlot = "nextSlot";
    public const string LastFired = "lastFired";
    public const string Since = "since";
    public const string MissedSlots = "missedSlots";
    public const string LastWeekDays = "lastWeekDays";
    public const string Day = "day";
    public const string Month = "month";
    public const string Year = "year";
    public const string WeekDays = "weekDays";
    public const string DaysOfMonth = "daysOfMonth";
    public const string LastDayOfMonth = "lastDayOfMonth";
    public const string Months = "months";
    public const string Submitted = "submitted";
    public const string Active = "active";
    public const string CompleteRelative = "completeRelative";
    public const string Keyword = "keyword";
    public const string Arguments = "arguments";

    // Node state records (NodeStateRecord)
    public const string TriggerFree = "triggerFree";
    public const string CompleteFree = "completeFree";

    // Node kinds
    public const string KindFlow = "flow";
    public const string KindFamily = "family";
    public const string KindTask = "task";
    public const string KindShell = "shell";

    // Formats: TimeSpan as "c", DateTime and DateTimeOffset as "o", dates as yyyy-MM-dd.
    public const string TimeSpanFormat = "c";
    public const string InstantFormat = "o";
    public const string DateFormat = "yyyy-MM-dd";
}
