namespace Takler.Core.Attributes;

/// <summary>The JSON type a parameter value had when it was defined (Takler's JSON keeps it).</summary>
public enum ParameterKind
{
    String,
    Integer,
    Float,
    Boolean,
    Null,
}
