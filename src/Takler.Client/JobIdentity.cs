using System.Globalization;

namespace Takler.Client;

/// <summary>
/// Who a child command comes from: the job's password, try number and remote id, which the server checks to tell a
/// live job from a zombie. A job finds them in <c>TAKLER_PASS</c>, <c>TAKLER_TRY_NO</c> and <c>TAKLER_RID</c>.
/// </summary>
/// <param name="Password">The job's password; null or empty when not given.</param>
/// <param name="TryNo">The job's try number; 0 when not given.</param>
/// <param name="Rid">The job's remote id (process or batch-system id); null or empty when not given.</param>
public sealed record JobIdentity(string? Password = null, int TryNo = 0, string? Rid = null)
{
    /// <summary>The environment variable holding the job's password.</summary>
    public const string PasswordVariable = "TAKLER_PASS";

    /// <summary>The environment variable holding the job's try number.</summary>
    public const string TryNoVariable = "TAKLER_TRY_NO";

    /// <summary>The environment variable holding the job's remote id.</summary>
    public const string RidVariable = "TAKLER_RID";

    /// <summary>No identity: what Takler's own clients send.</summary>
    public static JobIdentity None { get; } = new();

    /// <summary>Reads the three variables; a try number that is not a number counts as not given.</summary>
    public static JobIdentity FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var tryText = environment(TryNoVariable);
        var tryNo = int.TryParse(tryText, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0;
        return new JobIdentity(environment(PasswordVariable), tryNo, environment(RidVariable));
    }
}
