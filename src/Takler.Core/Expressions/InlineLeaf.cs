using Takler.Core.Attributes;
using Takler.Core.Expressions.Terms;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions;

/// <summary>
/// One resolved comparison or flag that a <see cref="BoundExpression"/> keeps in its own fields instead of as a term:
/// `path op constant` (the node's status), `path:event op constant`, or `path:event` alone. Only what evaluation
/// reads is kept; the places to quote are found again by parsing the text (<see cref="Term"/>), since only an
/// explanation needs them.
/// </summary>
internal readonly struct InlineLeaf
{
    // _op for `path:event` alone, which compares nothing.
    private const byte Flag = byte.MaxValue;

    private readonly byte _op;

    /// <summary>A leaf from the parts a <see cref="BoundExpression"/> keeps (<see cref="Node"/>, <see cref="Event"/>, <see cref="OpCode"/>, <see cref="Value"/>).</summary>
    public InlineLeaf(Node node, Event? ev, byte opCode, int value)
    {
        Node = node;
        Event = ev;
        _op = opCode;
        Value = value;
    }

    /// <summary>The node compared, or the owner of <see cref="Event"/>: the node this leaf reads.</summary>
    public Node Node { get; }

    /// <summary>The event read; null when the node's status is compared.</summary>
    public Event? Event { get; }

    /// <summary>The constant compared with.</summary>
    public int Value { get; }

    /// <summary>The <see cref="ComparisonOperator"/>, or a code of its own for `path:event` alone.</summary>
    public byte OpCode => _op;

    /// <summary>
    /// The leaf for <paramref name="syntax"/> with its path resolved to <paramref name="node"/>: null when the syntax
    /// is no leaf, the constant does not fit an int, or the node has no such event (the binder then looks further).
    /// </summary>
    public static InlineLeaf? Create(LeafSyntax syntax, Node node)
    {
        if (syntax.Value is < int.MinValue or > int.MaxValue)
        {
            return null;
        }

        var op = syntax.Op is { } comparison ? (byte)comparison : Flag;
        if (syntax.EventName is null)
        {
            return new InlineLeaf(node, null, op, (int)syntax.Value);
        }

        return node.FindEvent(syntax.EventName) is { } ev ? new InlineLeaf(node, ev, op, (int)syntax.Value) : null;
    }

    /// <summary>The value, as the term made by <see cref="Term"/> computes it.</summary>
    public bool IsTrue()
    {
        if (Event is not { } ev)
        {
            return StatusComparisonTerm.Holds(Node, (ComparisonOperator)_op, Value);
        }

        return _op == Flag ? ev.Value : EventComparisonTerm.Holds(ev, (ComparisonOperator)_op, Value);
    }

    /// <summary>
    /// The term the general binding makes of <paramref name="syntax"/> (the syntax this leaf was made from, parsed
    /// again from <paramref name="source"/>): for explanations.
    /// </summary>
    public BoundTerm Term(ExpressionNode syntax, string source)
    {
        var leaf = LeafSyntax.Read(syntax) ?? throw new InvalidOperationException($"'{source}' no longer parses as it was bound");
        var (start, length) = (leaf.Whole.Start, leaf.Whole.Length);
        if (Event is not { } ev)
        {
            return new StatusComparisonTerm(Node, (ComparisonOperator)_op, Value, leaf.Reference.Start, leaf.Reference.Length, source, start, length);
        }

        return _op == Flag
            ? new EventTerm(Node, ev, source, start, length)
            : new EventComparisonTerm(Node, ev, (ComparisonOperator)_op, Value, source, start, length);
    }
}
