namespace ContinuityOfCare.Tests.Support;

/// <summary>
/// Base for tests of the running service. Every test starts on an empty database with the clock at
/// <see cref="ServiceFactory.Start"/>: by default on one host shared by the test class, whose data is reset before
/// each test (a host costs far more to start than a reset); with <paramref name="hostPerTest"/>, on a host and a
/// database of its own, for tests that stop their host; with <paramref name="onSocket"/>, listening on a loopback
/// port, for a browser. Subclasses carry [Collection(PostgresCollection.Name)]
/// themselves: xunit does not inherit it.
/// </summary>
public abstract class ServiceTests(
    PostgresCluster postgres, string purpose, IReadOnlyDictionary<string, string>? settings = null, bool hostPerTest = false,
    bool onSocket = false)
    : IAsyncLifetime
{
    protected ServiceFactory Service { get; private set; } = null!;

    protected JourneyApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (hostPerTest)
        {
            Service = await ServiceFactory.StartAsync(postgres, purpose, settings, onSocket);
        }
        else
        {
            Service = await postgres.SharedServiceAsync(purpose, settings, onSocket);
            await Service.ResetAsync();
        }

        Api = new JourneyApi(Service.CreateClient());
    }

    public async Task DisposeAsync()
    {
        if (hostPerTest)
        {
            await Service.DisposeAsync();
        }
    }
}
