namespace Takler.Core.Attributes;

/// <summary>A label: free text a job reports; requeue gives back the default text.</summary>
public sealed class Label
{
    public Label(string name, string defaultText = "")
    {
        Nodes.NodeNames.Validate(name, "label");
        Name = name;
        DefaultText = defaultText;
        Text = defaultText;
    }

    public string Name { get; }

    /// <summary>The text given at definition and after requeue. The default value is empty.</summary>
    public string DefaultText { get; }

    /// <summary>The current text.</summary>
    public string Text { get; internal set; }

    internal void Reset() => Text = DefaultText;
}
