namespace ContinuityOfCare.Tests.Support;

/// <summary>
/// Base for tests of the running service: xunit makes a new instance per test, so every test gets a host and a
/// database of its own and cannot see another test's journeys. Subclasses carry [Collection(PostgresCollection.Name)]
/// themselves: xunit does not inherit it.
/// </summary>
public abstract class ServiceTests(PostgresCluster postgres, string purpose, IReadOnlyDictionary<string, string>? settings = null)
    : IAsyncLifetime
{
    protected ServiceFactory Service { get; private set; } = null!;

    protected JourneyApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Service = await ServiceFactory.StartAsync(postgres, purpose, settings);
        Api = new JourneyApi(Service.CreateClient());
    }

    public async Task DisposeAsync() => await Service.DisposeAsync();
}

/// <summary>
/// Tests on one service shared by their class (see <see cref="PostgresCluster.SharedServiceAsync"/>): each test
/// works on journeys it opens itself, and starts with the clock at <see cref="ServiceFactory.Start"/>.
/// </summary>
public abstract class SharedServiceTests(PostgresCluster postgres, string purpose) : IAsyncLifetime
{
    protected ServiceFactory Service { get; private set; } = null!;

    protected JourneyApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Service = await postgres.SharedServiceAsync(purpose);
        Service.Clock.Reset(ServiceFactory.Start);
        Api = new JourneyApi(Service.CreateClient());
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
