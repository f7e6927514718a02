namespace ContinuityOfCare.Tests.Support;

/// <summary>
/// Base for tests of the running service. Every test starts on an empty database with the clock at
/// <see cref="ServiceFactory.Start"/>, on the host shared by every test with the same settings, whose data is reset
/// before each test; with <paramref name="onSocket"/>, on one listening on a loopback port, for a browser. A test
/// that stops its host starts one of its own (<see cref="ServiceFactory.StartAsync"/>).
/// Subclasses carry [Collection(PostgresCollection.Name)] themselves: xunit does not inherit it.
/// </summary>
public abstract class ServiceTests(
    PostgresCluster postgres, IReadOnlyDictionary<string, string>? settings = null, bool onSocket = false)
    : IAsyncLifetime
{
    protected PostgresCluster Postgres => postgres;

    protected ServiceFactory Service { get; private set; } = null!;

    protected JourneyApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Service = await postgres.SharedServiceAsync(settings, onSocket);
        await Service.ResetAsync();
        Api = new JourneyApi(Service.CreateClient());
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
