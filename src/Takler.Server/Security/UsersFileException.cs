namespace Takler.Server.Security;

/// <summary>A users file that cannot be used; the message names the file and the line.</summary>
public sealed class UsersFileException : Exception
{
    public UsersFileException()
        : this("the users file cannot be used")
    {
    }

    public UsersFileException(string message)
        : base(message)
    {
    }

    public UsersFileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A failure at a line of a file: `users file PATH, line N: what`.</summary>
    public static UsersFileException At(string path, int line, string what, Exception? inner = null) =>
        new($"users file {path}, line {line}: {what}", inner);
}
