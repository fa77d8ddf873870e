namespace Takler.Protocol;

/// <summary>Metadata keys of the Takler service (takler-compat README §4.7).</summary>
public static class TaklerMetadataKeys
{
    /// <summary>A job's password, sent with child commands.</summary>
    public const string Password = "takler-pass";

    /// <summary>An operator's secret.</summary>
    public const string Secret = "takler-secret";

    /// <summary>The user on whose behalf a command is sent.</summary>
    public const string User = "takler-user";
}
