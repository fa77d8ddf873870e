namespace Takler.Core.Attributes;

/// <summary>A meter: a job's progress counter in [<see cref="Min"/>, <see cref="Max"/>]; requeue sets it back to the minimum.</summary>
public sealed class Meter
{
    public Meter(string name, int min, int max, int? threshold = null)
    {
        Nodes.NodeNames.Validate(name, "meter");
        if (min > max)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"meter {name}: min {min} is greater than max {max}");
        }

        if (threshold is { } t && (t < min || t > max))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"meter {name}: threshold {t} is outside [{min}, {max}]");
        }

        Name = name;
        Min = min;
        Max = max;
        Threshold = threshold;
        Value = min;
    }

    public string Name { get; }

    public int Min { get; }

    public int Max { get; }

    /// <summary>ecFlow's colour-change threshold; informational. The default value is none.</summary>
    public int? Threshold { get; }

    /// <summary>The current value, always within [Min, Max].</summary>
    public int Value { get; private set; }

    /// <summary>Sets the value; a value outside [Min, Max] is rejected and changes nothing.</summary>
    public void SetValue(int value)
    {
        if (value < Min || value > Max)
        {
            throw new TaklerException(
                TaklerErrorCode.UnsupportedValue,
                $"meter {Name}: value {value} is outside [{Min}, {Max}]");
        }

        Value = value;
    }

    internal void Reset() => Value = Min;
}
