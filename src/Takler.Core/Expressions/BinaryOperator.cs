namespace Takler.Core.Expressions;

/// <summary>The operators of <see cref="BinaryExpression"/>: logical and arithmetic.</summary>
public enum BinaryOperator
{
    And,
    Or,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}
