namespace Takler.Core.Nodes;

/// <summary>A family: a group of tasks and families inside a flow (Takler's `NodeContainer`).</summary>
public class Family : NodeContainer
{
    public Family(string name)
        : base(name)
    {
    }

    public override IEnumerable<KeyValuePair<string, string>> GeneratedParameters()
    {
        yield return new("FAMILY", Path.Substring(Path.IndexOf('/', 1) + 1));
        yield return new("FAMILY1", Name);
    }
}
