namespace Takler.Server.Zombies;

/// <summary>The zombies seen since start, one entry per task and password; touched only on the engine's loop.</summary>
public sealed class ZombieList
{
    private readonly Dictionary<(string Path, string Password), Zombie> _zombies = [];

    /// <summary>The zombies, oldest first.</summary>
    public IReadOnlyList<Zombie> All => _zombies.Values.OrderBy(z => z.FirstSeen).ThenBy(z => z.TaskPath, StringComparer.Ordinal).ToList();

    /// <summary>Records a call from a zombie.</summary>
    public Zombie Record(string path, string command, string reason, string password, int? tryNo, string? rid, ZombiePolicy action, DateTimeOffset now)
    {
        var key = (path, password);
        var zombie = _zombies.TryGetValue(key, out var old)
            ? old with { Command = command, Reason = reason, LastSeen = now, Calls = old.Calls + 1, Action = action, Rid = rid ?? old.Rid }
            : new Zombie(path, command, reason, password, tryNo, rid, action, now, now, 1);
        _zombies[key] = zombie;
        return zombie;
    }

    /// <summary>Forgets the zombies of a task (it was adopted, deleted or requeued).</summary>
    public void Forget(string path)
    {
        foreach (var key in _zombies.Keys.Where(k => k.Path == path).ToList())
        {
            _zombies.Remove(key);
        }
    }
}
