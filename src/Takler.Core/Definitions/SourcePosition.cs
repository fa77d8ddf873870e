namespace Takler.Core.Definitions;

/// <summary>A place in a definition file: 1-based line and column (a tab counts as one column).</summary>
public readonly record struct SourcePosition(int Line, int Column);
