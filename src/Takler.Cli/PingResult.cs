namespace Takler.Cli;

/// <summary><c>ping --json</c>: <c>{"server":"localhost:33083","host":"localhost","port":33083,"elapsedSeconds":0.00818}</c>.</summary>
internal sealed record PingResult(string Server, string Host, int Port, double ElapsedSeconds);
