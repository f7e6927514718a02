using Microsoft.Extensions.Hosting;
using Wolverine.Tracking;

namespace ContinuityOfCare.Tests.Support;

/// <summary>
/// Waits for the service's own work exactly, with Wolverine's tracked sessions: a write made through a test client
/// returns once every message it caused has been handled (a window-close check for a window already closed runs at
/// once), so a test never polls for it. Messages scheduled for later are recorded by the session, not waited for;
/// <see cref="ITrackedSession.PlayScheduledMessagesAsync"/> runs them once a test has moved the clock past them.
/// </summary>
public sealed class TrackedRequests(Func<IHost> host)
{
    /// <summary>Long enough for a busy shared machine; a session that ends sooner returns sooner.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly AsyncLocal<bool> Inside = new();
    private int _sessions;

    /// <summary>
    /// Runs <paramref name="action"/> (requests, possibly racing each other) in one tracked session and waits for
    /// every message they caused. Requests inside it are not tracked again one by one.
    /// </summary>
    public async Task<ITrackedSession> TrackAsync(Func<Task> action, TimeSpan? timeout = null)
    {
        // Wolverine keeps one active session per runtime: a second at the same time would take the first's messages.
        if (Interlocked.Increment(ref _sessions) > 1)
        {
            Interlocked.Decrement(ref _sessions);
            throw new InvalidOperationException("Concurrent tracked writes: send racing ones inside one TrackAsync.");
        }

        Inside.Value = true;
        try
        {
            return await host().TrackActivity().Timeout(timeout ?? Timeout).ExecuteAndWaitAsync(_ => action());
        }
        finally
        {
            Inside.Value = false;
            Interlocked.Decrement(ref _sessions);
        }
    }

    /// <summary>The test clients' handler: each write is tracked on its own, unless inside a session
    /// already.</summary>
    public DelegatingHandler Handler() => new TrackingHandler(this);

    private sealed class TrackingHandler(TrackedRequests tracking) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request, CancellationToken cancellation)
        {
            if (request.Method == HttpMethod.Get || Inside.Value)
            {
                return await base.SendAsync(request, cancellation);
            }

            HttpResponseMessage? response = null;
            await tracking.TrackAsync(async () => response = await base.SendAsync(request, cancellation));
            return response!;
        }
    }
}
