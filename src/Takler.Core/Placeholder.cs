namespace Takler.Core;

internal static class Placeholder;
