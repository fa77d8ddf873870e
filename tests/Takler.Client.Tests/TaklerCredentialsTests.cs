using Takler.Client.Tests.TestSupport;
using Takler.Protocol;

namespace Takler.Client.Tests;

public class TaklerCredentialsTests
{
    private static TaklerServiceClient Client(ScriptedInvoker invoker, TaklerCredentials? credentials, Dictionary<string, string>? environment = null) =>
        new("db1", 33083, new TaklerClientOptions
        {
            CallInvokerFactory = _ => invoker,
            Credentials = credentials,
            Environment = name => environment?.GetValueOrDefault(name),
        });

    [Fact]
    public async Task A_token_from_the_environment_goes_with_every_call()
    {
        var invoker = new ScriptedInvoker((_, _) => new ServiceResponse());
        using var client = Client(invoker, null, new() { ["TAKLER_TOKEN"] = "tok-0123456789abcdef", ["TAKLER_USER"] = "ops" });

        await client.SuspendAsync(["/f"]);

        var headers = Assert.Single(invoker.Headers)!;
        Assert.Equal("ops", headers.GetValue(TaklerMetadataKeys.User));
        Assert.Equal("tok-0123456789abcdef", headers.GetValue(TaklerMetadataKeys.Secret));
    }

    [Fact]
    public async Task A_key_signs_each_call_afresh()
    {
        var invoker = new ScriptedInvoker((_, _) => new ServiceResponse());
        using var client = Client(invoker, new TaklerCredentials("bot", null, "key-0123456789abcdef"));

        await client.SuspendAsync(["/f"]);
        await client.SuspendAsync(["/f"]);

        var secrets = invoker.Headers.Select(h => h!.GetValue(TaklerMetadataKeys.Secret)!).ToList();
        Assert.All(secrets, s => Assert.True(RequestSignature.TryParse(s, out _, out _, out _), s));
        Assert.NotEqual(secrets[0], secrets[1]); // a new nonce each time
    }

    [Fact]
    public async Task No_credentials_send_no_metadata()
    {
        var invoker = new ScriptedInvoker((_, _) => new ServiceResponse());
        using var client = Client(invoker, null);

        await client.SuspendAsync(["/f"]);

        Assert.Null(Assert.Single(invoker.Headers));
    }

    [Fact]
    public void The_token_is_never_shown() =>
        Assert.DoesNotContain("secret-0123456789", new TaklerCredentials("ops", "secret-0123456789").ToString(), StringComparison.Ordinal);
}
