using FusionBot.Features.Outbox;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FusionBot.FunctionalTests.Infrastructure;

/// <summary>Thrown where the process "exits": it aborts the turn or the outbox sweep, and the host is dead from then on.</summary>
public sealed class SimulatedCrashException(string message) : Exception(message);

/// <summary>
/// Counts the storage writes and connector calls of a host and kills it right after the Nth: that operation took
/// effect, nothing after it does (every later read, write or call throws), as when the process exits there.
/// Shared by every incarnation of a <see cref="BotHost"/>; <see cref="Disarm"/> before restarting.
/// </summary>
public sealed class CrashPlan
{
    private readonly Lock _gate = new();
    private int _crashAfter = int.MaxValue;
    private int _points;

    public bool IsDead { get; private set; }

    /// <summary>What the host did last before it died: "write requests/…" or "connector POST …".</summary>
    public string? CrashedAfter { get; private set; }

    /// <summary>The connector call the host died right after, if it was one: its send took effect and may be repeated once.</summary>
    public string? InFlightCall { get; private set; }

    public int PointsSeen
    {
        get
        {
            lock (_gate)
            {
                return _points;
            }
        }
    }

    public void Arm(int crashAfter)
    {
        lock (_gate)
        {
            _points = 0;
            _crashAfter = crashAfter;
            IsDead = false;
            CrashedAfter = null;
            InFlightCall = null;
        }
    }

    public void Disarm()
    {
        lock (_gate)
        {
            _crashAfter = int.MaxValue;
            IsDead = false;
        }
    }

    public void ThrowIfDead()
    {
        if (IsDead)
        {
            throw new SimulatedCrashException("The process has exited.");
        }
    }

    /// <summary>After an operation took effect: dies when it is the Nth.</summary>
    public void After(string operation, bool isConnectorCall)
    {
        lock (_gate)
        {
            ThrowIfDead();
            if (++_points != _crashAfter)
            {
                return;
            }

            IsDead = true;
            CrashedAfter = operation;
            InFlightCall = isConnectorCall ? operation : null;
        }

        throw new SimulatedCrashException($"Crash after {operation}");
    }

    /// <summary>
    /// Wires the plan into a host's services: the row store wrapped, the connector's HTTP client watched, and the outbox
    /// worker's loop taken out, so the test runs the outbox itself (<see cref="DrainOutboxAsync"/>) at known moments.
    /// </summary>
    public Action<IServiceCollection> Install(Func<string> connectorBaseUrl, TimeProvider time) => services =>
    {
        var rowStore = services.Last(d => d.ServiceType == typeof(ITableRowStore));
        services.Remove(rowStore);
        services.AddSingleton<ITableRowStore>(sp => new CrashingRowStore((ITableRowStore)rowStore.ImplementationFactory!(sp), this));
        services.AddHttpClient<Protocol.Connector.ConnectorClient>().AddHttpMessageHandler(() => new CrashingConnectorHandler(this, connectorBaseUrl));
        services.RemoveAll<TimeProvider>();
        services.AddSingleton(time);
        foreach (var worker in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationFactory is not null).ToList())
        {
            services.Remove(worker);
        }
    };

    /// <summary>Runs the outbox until nothing is due.</summary>
    public static async Task DrainOutboxAsync(BotHost host)
    {
        var worker = host.Services.GetRequiredService<OutboxWorker>();
        for (var sweep = 0; sweep < 50 && await worker.SweepAsync(CancellationToken.None) > 0; sweep++)
        {
        }
    }

    private sealed class CrashingConnectorHandler(CrashPlan plan, Func<string> connectorBaseUrl) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var isConnector = request.RequestUri?.ToString().StartsWith(connectorBaseUrl(), StringComparison.Ordinal) == true;
            if (!isConnector)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            plan.ThrowIfDead();
            var response = await base.SendAsync(request, cancellationToken);
            plan.After($"connector {request.Method} {request.RequestUri!.AbsolutePath}", isConnectorCall: true);
            return response;
        }
    }

    private sealed class CrashingRowStore(ITableRowStore inner, CrashPlan plan) : ITableRowStore
    {
        public string Description => inner.Description;

        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
        {
            plan.ThrowIfDead();
            return inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
        }

        public Task<IReadOnlyList<TableRow>> QueryAsync(string table, string partitionKey, RowKeyRange range, int limit, CancellationToken cancellationToken = default)
        {
            plan.ThrowIfDead();
            return inner.QueryAsync(table, partitionKey, range, limit, cancellationToken);
        }

        public Task<string> InsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default) =>
            WriteAsync(() => inner.InsertAsync(table, partitionKey, rowKey, data, cancellationToken), "insert", table, rowKey);

        public Task<string> ReplaceAsync(string table, string partitionKey, string rowKey, string data, string etag, CancellationToken cancellationToken = default) =>
            WriteAsync(() => inner.ReplaceAsync(table, partitionKey, rowKey, data, etag, cancellationToken), "replace", table, rowKey);

        public Task<string> UpsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default) =>
            WriteAsync(() => inner.UpsertAsync(table, partitionKey, rowKey, data, cancellationToken), "upsert", table, rowKey);

        public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? etag = null, CancellationToken cancellationToken = default) =>
            WriteAsync(() => inner.DeleteAsync(table, partitionKey, rowKey, etag, cancellationToken), "delete", table, rowKey);

        public Task<IReadOnlyList<string?>> WriteBatchAsync(string table, string partitionKey, IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken = default) =>
            WriteAsync(() => inner.WriteBatchAsync(table, partitionKey, writes, cancellationToken), "batch", table, writes[0].RowKey);

        private async Task<T> WriteAsync<T>(Func<Task<T>> write, string verb, string table, string rowKey)
        {
            plan.ThrowIfDead();
            var result = await write();
            plan.After($"{verb} {table}/{rowKey}", isConnectorCall: false);
            return result;
        }
    }
}

/// <summary>The wall clock plus an offset the test moves forward, as if a restart took that long (outbox leases run out).</summary>
public sealed class ShiftedTime : TimeProvider
{
    private readonly List<(DateTimeOffset From, TimeSpan Offset)> _shifts = [(DateTimeOffset.MinValue, TimeSpan.Zero)];

    public TimeSpan Offset
    {
        get => _shifts[^1].Offset;
        set => _shifts.Add((System.GetUtcNow(), value));
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>What this clock said when the wall clock said <paramref name="wallClock"/>: how a fake service stamps what it got then.</summary>
    public DateTimeOffset At(DateTimeOffset wallClock) => wallClock + _shifts.Last(s => s.From <= wallClock).Offset;
}
