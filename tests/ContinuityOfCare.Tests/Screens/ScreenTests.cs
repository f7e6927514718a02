using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// Base for the browser tests: the service on a socket, and the collection's browser, whose contexts this test opened
/// are closed when it ends (a page left open keeps its renderer, and the browser, working for the rest of the run).
/// </summary>
public abstract class ScreenTests(PostgresCluster postgres, Browser browser) : ServiceTests(postgres, onSocket: true)
{
    protected Browser Browser { get; } = browser;

    public override async Task DisposeAsync()
    {
        await Browser.CloseContextsAsync();
        await base.DisposeAsync();
    }
}
