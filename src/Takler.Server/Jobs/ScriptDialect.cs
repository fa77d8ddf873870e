namespace Takler.Server.Jobs;

/// <summary>The pre-processing language of a script, chosen by its extension.</summary>
public enum ScriptDialect
{
    /// <summary>Takler's: <c>{{ VAR }}</c>, <c>{% include "file" %}</c> and <c>{% raw %}</c>; see <see cref="TaklerPreprocessor"/>.</summary>
    Takler,

    /// <summary>ecFlow's: <c>%VAR%</c>, <c>%include</c> and the other <c>%</c> directives; see <see cref="EcfPreprocessor"/>.</summary>
    Ecf,
}
