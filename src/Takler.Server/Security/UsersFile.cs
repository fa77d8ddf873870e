using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Takler.Server.Security;

/// <summary>
/// The users a server accepts, read from `users.json`:
/// <code>
/// { "users": [
///     { "name": "alice", "role": "admin",   "token": "at least 16 characters" },
///     { "name": "ci",    "role": "operate", "token_sha256": "64 hex digits" },
///     { "name": "bot",   "role": "read",    "key": "HMAC key, at least 16 characters" } ] }
/// </code>
/// Each user has exactly one of `token`, `token_sha256` (the token's SHA-256, so the file need not hold it) or
/// `key` (for HMAC-signed requests). Names and tokens are unique. Anything else is refused with the file and line.
/// </summary>
public sealed class UsersFile
{
    /// <summary>The file name looked for in the server's home.</summary>
    public const string DefaultFileName = "users.json";

    /// <summary>The shortest token or key accepted.</summary>
    public const int MinimumSecretLength = 16;

    private UsersFile(string path, IReadOnlyList<UserAccount> users)
    {
        FilePath = path;
        Users = users;
    }

    /// <summary>The file read.</summary>
    public string FilePath { get; }

    /// <summary>The users, in file order.</summary>
    public IReadOnlyList<UserAccount> Users { get; }

    /// <summary>Reads and checks a users file; throws <see cref="UsersFileException"/> naming the file and line.</summary>
    public static UsersFile Load(string path)
    {
        var full = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsersFileException($"users file {full}: cannot be read: {e.Message}", e);
        }

        return Parse(full, bytes);
    }

    /// <summary>Reads users from JSON text; <paramref name="path"/> names it in errors.</summary>
    public static UsersFile Parse(string path, ReadOnlySpan<byte> json)
    {
        try
        {
            return new Reader(path, json).ReadFile();
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            throw UsersFileException.At(path, line, "not valid JSON: " + FirstSentence(e.Message), e);
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd('.', ' ');
    }

    /// <summary>A forward-only reader that knows the line of every token, for errors.</summary>
    private ref struct Reader
    {
        private readonly string _path;
        private readonly ReadOnlySpan<byte> _json;
        private Utf8JsonReader _reader;

        public Reader(string path, ReadOnlySpan<byte> json)
        {
            _path = path;
            _json = json;
            _reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }

        public UsersFile ReadFile()
        {
            Next();
            Expect(JsonTokenType.StartObject, "the file must be a JSON object with a \"users\" list");
            List<UserAccount>? users = null;
            var names = new HashSet<string>(StringComparer.Ordinal);
            var tokens = new List<(byte[] Hash, string Name)>();
            while (Next() == JsonTokenType.PropertyName)
            {
                var property = _reader.GetString()!;
                if (property != "users")
                {
                    throw Error($"unknown property \"{property}\" (expected \"users\")");
                }

                Next();
                Expect(JsonTokenType.StartArray, "\"users\" must be a list");
                users = [];
                while (Next() != JsonTokenType.EndArray)
                {
                    var line = Line();
                    var user = ReadUser();
                    if (!names.Add(user.Name))
                    {
                        throw UsersFileException.At(_path, line, $"user \"{user.Name}\" appears twice");
                    }

                    if (user.TokenHash is { } hash && tokens.FirstOrDefault(t => t.Hash.AsSpan().SequenceEqual(hash)).Name is { } other)
                    {
                        throw UsersFileException.At(_path, line, $"user \"{user.Name}\" has the same token as \"{other}\"");
                    }

                    if (user.TokenHash is { } h)
                    {
                        tokens.Add((h, user.Name));
                    }

                    users.Add(user);
                }
            }

            return users is null ? throw Error("no \"users\" list") : new UsersFile(_path, users);
        }

        private UserAccount ReadUser()
        {
            Expect(JsonTokenType.StartObject, "each user must be an object with \"name\", \"role\" and \"token\" or \"key\"");
            var start = Line();
            string? name = null, role = null, token = null, tokenHash = null, key = null;
            while (Next() == JsonTokenType.PropertyName)
            {
                var property = _reader.GetString()!;
                Next();
                if (_reader.TokenType != JsonTokenType.String)
                {
                    throw Error($"\"{property}\" must be a string");
                }

                var value = _reader.GetString()!;
                switch (property)
                {
                    case "name": name = value; break;
                    case "role": role = value; break;
                    case "token": token = value; break;
                    case "token_sha256": tokenHash = value; break;
                    case "key": key = value; break;
                    default: throw Error($"unknown property \"{property}\" (expected name, role, token, token_sha256 or key)");
                }
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                throw UsersFileException.At(_path, start, "a user has no \"name\"");
            }

            var userRole = role switch
            {
                "read" => UserRole.Read,
                "operate" => UserRole.Operate,
                "admin" => UserRole.Admin,
                null => throw UsersFileException.At(_path, start, $"user \"{name}\" has no \"role\" (read, operate or admin)"),
                _ => throw UsersFileException.At(_path, start, $"user \"{name}\": role \"{role}\" is not read, operate or admin"),
            };
            if ((token is null ? 0 : 1) + (tokenHash is null ? 0 : 1) + (key is null ? 0 : 1) != 1)
            {
                throw UsersFileException.At(_path, start, $"user \"{name}\" must have exactly one of \"token\", \"token_sha256\" or \"key\"");
            }

            if ((token ?? key) is { } secret && secret.Length < MinimumSecretLength)
            {
                throw UsersFileException.At(_path, start, $"user \"{name}\": the {(token is null ? "key" : "token")} is shorter than {MinimumSecretLength} characters");
            }

            byte[]? hash = null;
            if (tokenHash is not null)
            {
                hash = tokenHash.Length == 64 && tokenHash.All(char.IsAsciiHexDigit)
                    ? Convert.FromHexString(tokenHash)
                    : throw UsersFileException.At(_path, start, $"user \"{name}\": \"token_sha256\" must be 64 hex digits");
            }
            else if (token is not null)
            {
                hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
            }

            return new UserAccount(name, userRole, hash, key is null ? null : Encoding.UTF8.GetBytes(key));
        }

        private JsonTokenType Next()
        {
            if (!_reader.Read())
            {
                throw Error("the file ends too early");
            }

            return _reader.TokenType;
        }

        private readonly void Expect(JsonTokenType type, string what)
        {
            if (_reader.TokenType != type)
            {
                throw Error(what);
            }
        }

        private readonly UsersFileException Error(string what) => UsersFileException.At(_path, Line(), what);

        /// <summary>The 1-based line of the current token.</summary>
        private readonly int Line()
        {
            var offset = (int)Math.Min(_reader.TokenStartIndex, _json.Length);
            return _json[..offset].Count((byte)'\n') + 1;
        }
    }
}
