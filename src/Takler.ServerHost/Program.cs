using System.CommandLine;
using Microsoft.Extensions.Logging;
using Takler.ServerHost;

var port = new Option<int>("--port")
{
    Description = "Port to listen on (env TAKLER_PORT; default 33083).",
    DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("TAKLER_PORT"), out var p) ? p : 33083,
};
var host = new Option<string>("--host")
{
    Description = "Host name announced to jobs as TAKLER_HOST (default: localhost).",
    DefaultValueFactory = _ => "localhost",
};
var home = new Option<string>("--home")
{
    Description = "Server home, TAKLER_HOME (env TAKLER_HOME; default: the current directory).",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TAKLER_HOME") ?? Directory.GetCurrentDirectory(),
};
var load = new Option<string[]>("--load")
{
    Description = "A .def or Takler JSON file to load at start (repeatable).",
    AllowMultipleArgumentsPerToken = false,
};
var begin = new Option<bool>("--begin") { Description = "Begin every loaded flow at start." };
var interval = new Option<int>("--interval")
{
    Description = "Seconds between safety-net scheduling passes (default 10).",
    DefaultValueFactory = _ => 10,
};
var logLevel = new Option<LogLevel>("--log-level")
{
    Description = "Trace, Debug, Information, Warning, Error (default Information).",
    DefaultValueFactory = _ => LogLevel.Information,
};
var passwordless = new Option<bool>("--allow-passwordless-child")
{
    Description = "Accept child commands without the job password (Takler's own clients send none).",
};
var loopback = new Option<bool>("--loopback-only") { Description = "Listen on 127.0.0.1 only." };
var db = new Option<string?>("--db")
{
    Description = "The state database (default: takler.db in the home). Every acknowledged command is kept there and restored at start.",
};
var noStorage = new Option<bool>("--no-storage") { Description = "Keep no state on disk: a restart starts empty." };
var sync = new Option<Takler.Server.Storage.StorageSynchronous>("--sync")
{
    Description = "full: each commit reaches the disk before the reply (survives power loss, much slower); normal: the operating system has it (survives a crash or kill -9 of the server). Default normal.",
    DefaultValueFactory = _ => Takler.Server.Storage.StorageSynchronous.Normal,
};
var noAudit = new Option<bool>("--no-audit") { Description = "Do not append every client command to audit.log in the home." };

var users = new Option<string?>("--users")
{
    Description = "The users file: tokens or keys and roles (default: users.json in the home, if any; without one, commands are accepted from this host only).",
};
var name = new Option<string?>("--name")
{
    Description = "Register the server under this name in ~/.takler/servers.json (env TAKLER_REGISTRY), so clients can use --server NAME.",
};

var root = new RootCommand("takler_server: the Takler workflow scheduler server.")
{
    port, host, home, load, begin, interval, logLevel, passwordless, loopback, db, noStorage, sync, noAudit, users, name,
};
root.SetAction((result, cancellationToken) => ServerProgram.RunAsync(
    new ServerProgramOptions(
        result.GetValue(port),
        result.GetValue(host)!,
        result.GetValue(home)!,
        result.GetValue(load) ?? [],
        result.GetValue(begin),
        result.GetValue(interval),
        result.GetValue(logLevel),
        result.GetValue(passwordless),
        result.GetValue(loopback),
        result.GetValue(noStorage) ? null : result.GetValue(db) ?? string.Empty,
        result.GetValue(sync),
        !result.GetValue(noAudit))
    {
        Users = result.GetValue(users),
        Name = result.GetValue(name),
    },
    cancellationToken));
// SIGINT and SIGTERM are the server's own (ServerProgram): it stops cleanly and exits 0, rather than
// System.CommandLine's forced exit with 130/143 two seconds later.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
