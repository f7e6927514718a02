using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// The browser tests: one Chromium and one service on a socket for all of them, apart from the in-memory HTTP tests
/// so that both run at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ScreensCollection : ICollectionFixture<PostgresCluster>, ICollectionFixture<Browser>
{
    public const string Name = "screens";
}
