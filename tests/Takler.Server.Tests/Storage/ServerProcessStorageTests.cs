using Microsoft.Data.Sqlite;

namespace Takler.Server.Tests.Storage;

/// <summary>`takler_server` refuses a state database that is not its own, with one line and exit code 2, and leaves it untouched.</summary>
public class ServerProcessStorageTests
{
    [Fact]
    public async Task A_damaged_database_is_refused_with_one_line_and_left_untouched()
    {
        using var home = new TempDirectory();
        var db = home.File("takler.db");
        var garbage = new byte[8192];
        new Random(3).NextBytes(garbage);
        await File.WriteAllBytesAsync(db, garbage);

        var (code, error) = await ServerProcess.RunToExitAsync(home.Path, ServerProcess.FreePort());

        Assert.Equal(2, code);
        Assert.Equal($"takler_server: {db}: file is not a database", error.TrimEnd('\n'));
        Assert.Equal(garbage, await File.ReadAllBytesAsync(db));
        Assert.Equal(["takler.db"], Directory.GetFiles(home.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_foreign_sqlite_database_given_with_db_is_refused_with_one_line_and_left_untouched()
    {
        using var home = new TempDirectory();
        var db = home.File("music.db");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');";
            command.ExecuteNonQuery();
        }

        var before = await File.ReadAllBytesAsync(db);

        var (code, error) = await ServerProcess.RunToExitAsync(home.Path, ServerProcess.FreePort(), "--db", db);

        Assert.Equal(2, code);
        Assert.Equal($"takler_server: {db}: not a Takler database (no metadata table)", error.TrimEnd('\n'));
        Assert.Equal(before, await File.ReadAllBytesAsync(db));
    }

    [Fact]
    public async Task A_database_that_cannot_be_created_is_refused_with_one_line()
    {
        using var home = new TempDirectory();
        var db = Path.Combine(home.Path, "no", "such", "takler.db");

        var (code, error) = await ServerProcess.RunToExitAsync(home.Path, ServerProcess.FreePort(), "--db", db);

        Assert.Equal(2, code);
        Assert.Equal($"takler_server: {db}: cannot create: directory {Path.GetDirectoryName(db)} does not exist", error.TrimEnd('\n'));
    }
}
