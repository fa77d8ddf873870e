namespace Takler.Core.Definitions;

/// <summary>
/// Where the reader found things, for the checker's messages: nodes, expression parts, in-limits and kept attributes,
/// keyed by reference (a tree built in code simply has no positions).
/// </summary>
internal sealed class DefsSourceMap
{
    private readonly Dictionary<object, SourcePosition> _positions = new(ReferenceEqualityComparer.Instance);

    public void Add(object item, int line, int column) => _positions[item] = new SourcePosition(line, column);

    public SourcePosition? Find(object item) => _positions.TryGetValue(item, out var position) ? position : null;
}
