using System.Globalization;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>
/// A comparison. Numbers compare as numbers; when a side is text (a variable or a label), both sides compare as
/// numbers if both read as whole numbers, else as text (ordinal).
/// </summary>
internal sealed class ComparisonTerm : BoundTerm
{
    private readonly ComparisonOperator _op;
    private readonly BoundTerm _left;
    private readonly BoundTerm _right;
    private readonly bool _textual;

    public ComparisonTerm(ComparisonOperator op, BoundTerm left, BoundTerm right, string source, int start, int length)
        : base(source, start, length)
    {
        _op = op;
        _left = left;
        _right = right;
        _textual = left.IsTextual || right.IsTextual;
    }

    public override bool IsTrue()
    {
        if (!_textual)
        {
            return _op.Holds(_left.Number().CompareTo(_right.Number()));
        }

        var leftText = _left.TextValue();
        var rightText = _right.TextValue();
        long leftNumber = 0;
        long rightNumber = 0;
        var leftNumeric = leftText is null ? Read(_left, out leftNumber) : TryParseNumber(leftText, out leftNumber);
        var rightNumeric = rightText is null ? Read(_right, out rightNumber) : TryParseNumber(rightText, out rightNumber);
        if (leftNumeric && rightNumeric)
        {
            return _op.Holds(leftNumber.CompareTo(rightNumber));
        }

        leftText ??= leftNumber.ToString(CultureInfo.InvariantCulture);
        rightText ??= rightNumber.ToString(CultureInfo.InvariantCulture);
        return _op.Holds(string.CompareOrdinal(leftText, rightText));

        static bool Read(BoundTerm term, out long number)
        {
            number = term.Number();
            return true;
        }
    }

    public override long Number() => IsTrue() ? 1 : 0;

    public override void AddFacts(List<string> facts)
    {
        _left.AddFacts(facts);
        _right.AddFacts(facts);
    }

    public override void AddDependencies(List<Node> nodes)
    {
        _left.AddDependencies(nodes);
        _right.AddDependencies(nodes);
    }
}
