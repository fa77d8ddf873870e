using System.Text;
using Google.Protobuf;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Server;
using Takler.Server.Security;

namespace Takler.Server.Tests.Security;

/// <summary>The authorization hook on its own: tokens, signatures (time, replay, body), loopback without users.</summary>
public class RequestAuthenticatorTests
{
    private const string Key = "bot-key-0123456789";
    private static readonly string Suspend = TaklerServerMethods.RunCommandSuspend.FullName;

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly RequestAuthenticator _authenticator;

    public RequestAuthenticatorTests()
    {
        var users = UsersFile.Parse("users.json", """
            { "users": [
              { "name": "ops", "role": "operate", "token": "ops-token-0123456789" },
              { "name": "bot", "role": "operate", "key": "bot-key-0123456789" } ] }
            """u8);
        _authenticator = new RequestAuthenticator(users, _clock, () => null);
    }

    private static ServerCallContext Context(string method, string peer = "ipv4:127.0.0.1:5000", params (string Key, string Value)[] headers)
    {
        var metadata = new Metadata();
        foreach (var (k, v) in headers)
        {
            metadata.Add(k, v);
        }

        return new ServerCallContext(method, "localhost", peer, metadata, DateTimeOffset.MaxValue, CancellationToken.None);
    }

    private string Signed(IMessage request, DateTimeOffset at, string nonce = "nonce-0001") =>
        RequestSignature.Create(Encoding.UTF8.GetBytes(Key), "bot", Suspend, at.ToUnixTimeSeconds(), nonce, request.ToByteArray());

    private async Task<StatusCode?> Outcome(ServerCallContext context, IMessage request)
    {
        try
        {
            await _authenticator.AuthorizeAsync(context, request);
            return null;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    [Fact]
    public async Task A_token_authenticates_its_user()
    {
        var context = Context(Suspend, headers: (TaklerMetadataKeys.Secret, "ops-token-0123456789"));
        Assert.Null(await Outcome(context, new SuspendCommand()));
        Assert.Equal("ops", context.User);
    }

    [Fact]
    public async Task A_token_sent_with_another_users_name_is_refused() =>
        Assert.Equal(StatusCode.Unauthenticated, await Outcome(Context(Suspend, headers: [(TaklerMetadataKeys.User, "bot"), (TaklerMetadataKeys.Secret, "ops-token-0123456789")]), new SuspendCommand()));

    [Fact]
    public async Task A_signed_request_is_accepted_once_within_the_clock_window()
    {
        var request = new SuspendCommand { NodePath = { "/f/t" } };
        var secret = Signed(request, _clock.GetUtcNow().AddMinutes(-4));
        var context = Context(Suspend, headers: [(TaklerMetadataKeys.User, "bot"), (TaklerMetadataKeys.Secret, secret)]);

        Assert.Null(await Outcome(context, request));
        Assert.Equal("bot", context.User);

        // The same signed request again is a replay.
        Assert.Equal(StatusCode.Unauthenticated, await Outcome(Context(Suspend, headers: [(TaklerMetadataKeys.User, "bot"), (TaklerMetadataKeys.Secret, secret)]), request));
    }

    [Fact]
    public async Task A_stale_signature_is_refused()
    {
        var request = new SuspendCommand { NodePath = { "/f/t" } };
        var secret = Signed(request, _clock.GetUtcNow().AddMinutes(-6));
        Assert.Equal(StatusCode.Unauthenticated, await Outcome(Context(Suspend, headers: [(TaklerMetadataKeys.User, "bot"), (TaklerMetadataKeys.Secret, secret)]), request));

        var future = Signed(request, _clock.GetUtcNow().AddMinutes(6), "nonce-0002");
        Assert.Equal(StatusCode.Unauthenticated, await Outcome(Context(Suspend, headers: [(TaklerMetadataKeys.User, "bot"), (TaklerMetadataKeys.Secret, future)]), request));
    }

    [Fact]
    public async Task A_signature_is_bound_to_the_body_and_the_method()
    {
        var signedFor = new SuspendCommand { NodePath = { "/f/t" } };
        var secret = Signed(signedFor, _clock.GetUtcNow());

        Assert.Equal(StatusCode.Unauthenticated, await Outcome(Context(Suspend, headers: [(TaklerMetadataKeys.User, "bot"), (TaklerMetadataKeys.Secret, secret)]), new SuspendCommand { NodePath = { "/f/other" } }));
        Assert.Equal(StatusCode.Unauthenticated, await Outcome(Context(TaklerServerMethods.RunCommandResume.FullName, headers: [(TaklerMetadataKeys.User, "bot"), (TaklerMetadataKeys.Secret, secret)]), signedFor));
    }

    [Fact]
    public async Task Without_a_users_file_only_loopback_may_command()
    {
        var open = new RequestAuthenticator(null, _clock, () => null);
        async Task<StatusCode?> Try(string method, string peer)
        {
            try
            {
                await open.AuthorizeAsync(Context(method, peer), new SuspendCommand());
                return null;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }

        Assert.Null(await Try(Suspend, "ipv4:127.0.0.1:5000"));
        Assert.Null(await Try(Suspend, "ipv6:[::1]:5000"));
        Assert.Equal(StatusCode.Unauthenticated, await Try(Suspend, "ipv4:10.1.2.3:5000"));
        Assert.Equal(StatusCode.Unauthenticated, await Try(TaklerServerMethods.RunRequestShow.FullName, "ipv6:[2001:db8::1]:5000"));
        Assert.Null(await Try(TaklerServerMethods.RunRequestPing.FullName, "ipv4:10.1.2.3:5000"));
        Assert.Null(await Try(TaklerServerMethods.RunChildCommand.FullName, "ipv4:10.1.2.3:5000"));
    }
}
