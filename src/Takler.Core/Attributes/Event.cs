namespace Takler.Core.Attributes;

/// <summary>
/// An event: a flag a job sets. ecFlow allows a name, a number, or both (`event 1 name`); the key used in
/// references and commands is the name when there is one, else the number. <see cref="InitialValue"/> is
/// the value after requeue (ecFlow's `event name set`).
/// </summary>
public sealed class Event
{
    // The number without its Nullable wrapper (which would make an event 40 bytes rather than 32).
    private readonly int _number;
    private readonly bool _hasNumber;

    public Event(string name, bool initialValue = false, int? number = null)
    {
        if (name.Length == 0 && number is null)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, "an event needs a name or a number");
        }

        if (name.Length > 0)
        {
            Nodes.NodeNames.Validate(name, "event");
        }

        Name = name;
        _number = number ?? 0;
        _hasNumber = number is not null;
        InitialValue = initialValue;
        Value = initialValue;
    }

    /// <summary>The name, or empty for an event known only by number.</summary>
    public string Name { get; }

    /// <summary>ecFlow's event number, if any.</summary>
    public int? Number => _hasNumber ? _number : null;

    /// <summary>The value given back by requeue. The default value is false.</summary>
    public bool InitialValue { get; }

    /// <summary>The current value.</summary>
    public bool Value { get; internal set; }

    /// <summary>The name used to refer to this event: its name, else its number.</summary>
    public string Key => Name.Length > 0 ? Name : Number!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="key"/> (a name or a number) names this event.</summary>
    public bool Matches(string key) =>
        (Name.Length > 0 && Name == key) ||
        (Number is { } n && int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) && k == n);

    internal void Reset() => Value = InitialValue;
}
