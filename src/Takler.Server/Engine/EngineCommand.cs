namespace Takler.Server.Engine;

/// <summary>One unit of work for the engine's loop: applied in order, its reply released after the batch is applied.</summary>
internal abstract class EngineCommand
{
    protected EngineCommand(string name)
    {
        Name = name;
    }

    /// <summary>What the command is, for logs.</summary>
    public string Name { get; }

    /// <summary>Applies the command on the loop; exceptions are the command's failure.</summary>
    public abstract void Apply(EngineContext context);

    /// <summary>Releases the caller: after the batch is applied (and, with storage, committed).</summary>
    public abstract void Reply();

    /// <summary>Makes the command fail with <paramref name="error"/> whatever its own outcome (its batch could not be stored).</summary>
    public abstract void Fail(Exception error);
}

/// <summary>A command with a typed result.</summary>
internal sealed class EngineCommand<T> : EngineCommand, IEngineCancellable
{
    private readonly Func<EngineContext, T> _apply;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _error;

    public EngineCommand(string name, Func<EngineContext, T> apply)
        : base(name)
    {
        _apply = apply;
    }

    public Task<T> Completion => _completion.Task;

    public override void Apply(EngineContext context)
    {
        try
        {
            _result = _apply(context);
        }
#pragma warning disable CA1031 // Any failure of a command goes back to its caller; the loop must go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _error = e;
        }
    }

    public override void Reply()
    {
        if (_error is not null)
        {
            _completion.TrySetException(_error);
        }
        else
        {
            _completion.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception error) => _error = error;

    public void Cancel() => _completion.TrySetCanceled();
}

/// <summary>Queued by the engine's timer when an instant that matters has come; never applied.</summary>
internal sealed class WakeUpCommand : EngineCommand
{
    public static readonly WakeUpCommand Instance = new();

    private WakeUpCommand()
        : base("wake up")
    {
    }

    public override void Apply(EngineContext context)
    {
    }

    public override void Reply()
    {
    }

    public override void Fail(Exception error)
    {
    }
}

/// <summary>A command that can be cancelled when the engine stops before applying it.</summary>
internal interface IEngineCancellable
{
    void Cancel();
}
