using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;

namespace ContinuityOfCare.Hosting;

/// <summary>
/// Keeps a page of events loaded ahead of each async projection that is behind. JasperFx's agent (JasperFx.Events
/// 2.100) loads a page only when a command reaches it, and while catching up over events already written the only
/// command is the last page's commit: it loaded, then applied and committed, in turn (at 1,000,000 journeys 65.8 s of
/// a 283.6 s catch-up went to loading; docs/scale.md). Nudged as each shard reports, the agent loads the next page
/// while the last is applied and committed, within its hopper's size. Written here: the agent has no setting for it.
/// </summary>
public sealed class ReadAhead(IProjectionDaemon daemon) : IObserver<ShardState>
{
    public static IDisposable Attach(IProjectionDaemon daemon) => daemon.Tracker.Subscribe(new ReadAhead(daemon));

    public void OnNext(ShardState value)
    {
        if (value.Action is not (ShardAction.Started or ShardAction.Updated))
        {
            return;
        }

        var agent = daemon.CurrentAgents().FirstOrDefault(a => a.Name.Identity == value.ShardName);
        if (agent is { Status: AgentStatus.Running })
        {
            // A buffered ceiling of 0 moves none of the agent's marks: the command's one effect is the agent's
            // check for room to load another page.
            _ = Nudge(agent);
        }
    }

    private static async Task Nudge(ISubscriptionAgent agent)
    {
        try
        {
            await agent.MarkRangeBufferedAsync(0);
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
                                      or InvalidOperationException)
        {
            // The agent stopped between its report and the nudge; the next one to start is nudged in turn.
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}

/// <summary>Attaches <see cref="ReadAhead"/> to the daemon this node runs when it holds the lock.</summary>
public sealed class ReadAheadService(IProjectionCoordinator coordinator) : IHostedService
{
    private IDisposable? _attached;

    /// <summary>The daemon read ahead for: the coordinator's own, which it starts the agents on.</summary>
    public IProjectionDaemon? Daemon { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Daemon = coordinator.DaemonForMainDatabase();
        _attached = ReadAhead.Attach(Daemon);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _attached?.Dispose();
        return Task.CompletedTask;
    }
}
