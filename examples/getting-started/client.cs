#:project ../../src/Takler.Client/Takler.Client.csproj
#:property PublishAot=false
#:property TreatWarningsAsErrors=true

// The seed's client.py in C#: ping the default server (TAKLER_HOST/TAKLER_PORT or localhost:33083), then
// another one given as arguments (default 127.0.0.1 33083), printing the round trips as takler_client does.
// Run: dotnet run client.cs [-- HOST PORT]
using Takler.Client;

using var client = new TaklerServiceClient();
await Ping(client);

client.SetHostPort(args.Length > 0 ? args[0] : "127.0.0.1", args.Length > 1 ? args[1] : "33083");
await Ping(client);

static async Task Ping(TaklerServiceClient client)
{
    var elapsed = await client.PingAsync();
    Console.WriteLine($"ping server ({client.Address}) succeeded in {elapsed:h\\:mm\\:ss\\.ffffff}.");
}
