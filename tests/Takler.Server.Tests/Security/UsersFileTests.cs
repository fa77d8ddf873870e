using System.Security.Cryptography;
using System.Text;
using Takler.Server.Security;

namespace Takler.Server.Tests.Security;

public class UsersFileTests
{
    private static UsersFile Parse(string json) => UsersFile.Parse("/etc/takler/users.json", Encoding.UTF8.GetBytes(json));

    private static string Error(string json) => Assert.Throws<UsersFileException>(() => Parse(json)).Message;

    [Fact]
    public void Reads_tokens_hashed_tokens_and_keys_with_their_roles()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData("ci-token-0123456789"u8));
        var file = Parse($$"""
            {
              // comments are allowed
              "users": [
                { "name": "alice", "role": "admin", "token": "alice-token-0123456789" },
                { "name": "ci", "role": "operate", "token_sha256": "{{hash}}" },
                { "name": "bot", "role": "read", "key": "bot-key-0123456789" }
              ]
            }
            """);

        Assert.Equal(["alice", "ci", "bot"], file.Users.Select(u => u.Name));
        Assert.Equal([UserRole.Admin, UserRole.Operate, UserRole.Read], file.Users.Select(u => u.Role));
        Assert.Equal(SHA256.HashData("alice-token-0123456789"u8), file.Users[0].TokenHash);
        Assert.Equal(SHA256.HashData("ci-token-0123456789"u8), file.Users[1].TokenHash);
        Assert.Null(file.Users[2].TokenHash);
        Assert.Equal("bot-key-0123456789"u8.ToArray(), file.Users[2].Key);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_line()
    {
        var message = Error("{\n  \"users\": [\n    { \"name\": \"a\" \"role\": \"read\" }\n  ]\n}");
        Assert.StartsWith("users file /etc/takler/users.json, line 3: not valid JSON: ", message);
        Assert.DoesNotContain("\n", message);
    }

    [Theory]
    [InlineData("{\"users\": [\n{\"name\": \"a\", \"role\": \"root\", \"token\": \"0123456789abcdef\"}]}", "line 2: user \"a\": role \"root\" is not read, operate or admin")]
    [InlineData("{\"users\": [\n{\"name\": \"a\", \"token\": \"0123456789abcdef\"}]}", "line 2: user \"a\" has no \"role\" (read, operate or admin)")]
    [InlineData("{\"users\": [\n{\"name\": \"a\", \"role\": \"read\"}]}", "line 2: user \"a\" must have exactly one of \"token\", \"token_sha256\" or \"key\"")]
    [InlineData("{\"users\": [\n{\"name\": \"a\", \"role\": \"read\", \"token\": \"short\"}]}", "line 2: user \"a\": the token is shorter than 16 characters")]
    [InlineData("{\"users\": [\n{\"name\": \"a\", \"role\": \"read\", \"token\": \"0123456789abcdef\"},\n{\"name\": \"a\", \"role\": \"read\", \"token\": \"0123456789abcdeX\"}]}", "line 3: user \"a\" appears twice")]
    [InlineData("{\"users\": [\n{\"name\": \"a\", \"role\": \"read\", \"token\": \"0123456789abcdef\"},\n{\"name\": \"b\", \"role\": \"admin\", \"token\": \"0123456789abcdef\"}]}", "line 3: user \"b\" has the same token as \"a\"")]
    [InlineData("{\"users\": [\n{\"name\": \"a\", \"rol\": \"read\"}]}", "line 2: unknown property \"rol\" (expected name, role, token, token_sha256 or key)")]
    [InlineData("[]", "line 1: the file must be a JSON object with a \"users\" list")]
    [InlineData("{}", "line 1: no \"users\" list")]
    public void Bad_users_are_refused_with_the_line(string json, string expected) =>
        Assert.Equal("users file /etc/takler/users.json, " + expected, Error(json));
}
