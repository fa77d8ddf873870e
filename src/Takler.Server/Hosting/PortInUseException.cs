namespace Takler.Server.Hosting;

/// <summary>The port is taken by another process.</summary>
public sealed class PortInUseException : IOException
{
    public PortInUseException(int port, Exception inner)
        : base($"port {port} is already in use", inner)
    {
        Port = port;
    }

    public PortInUseException()
    {
    }

    public PortInUseException(string message)
        : base(message)
    {
    }

    public PortInUseException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The port.</summary>
    public int Port { get; }
}
