namespace FusionBot.Storage.Rows;

/// <summary>Runs an initialization once; a failed attempt is forgotten so the next caller retries it.</summary>
internal sealed class InitializeOnce(Func<CancellationToken, Task> initialize)
{
    private readonly Lock _gate = new();
    private Task? _task;

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var task = _task;
        if (task is { IsCompletedSuccessfully: true })
        {
            return task;
        }

        lock (_gate)
        {
            if (_task is null || _task.IsFaulted || _task.IsCanceled)
            {
                _task = initialize(cancellationToken);
            }

            return _task;
        }
    }
}
