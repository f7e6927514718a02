using ContinuityOfCare.Hosting;
using ContinuityOfCare.Tests.Support;
using Marten;
using Npgsql;

namespace ContinuityOfCare.Tests.Hosting;

/// <summary>
/// The service's PostgreSQL sessions check for lost clients, run no parallel workers and prepare their repeated
/// statements, unless the connection string says otherwise for a setting.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionSettingsTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public void Each_setting_goes_in_the_startup_options_unless_the_connection_string_gives_it()
    {
        var plain = new NpgsqlConnectionStringBuilder(ServiceSetup.WithSessionSettings("Host=db;Database=coc"));
        Assert.Equal(
            "-c client_connection_check_interval=1000 -c max_parallel_workers_per_gather=0", plain.Options);

        var operators = new NpgsqlConnectionStringBuilder(ServiceSetup.WithSessionSettings(
            "Host=db;Options=-c max_parallel_workers_per_gather=2"));
        Assert.Equal(
            "-c max_parallel_workers_per_gather=2 -c client_connection_check_interval=1000", operators.Options);
    }

    [Theory]
    [InlineData("Host=db;Database=coc", ServiceSetup.MaxAutoPrepare)]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=8", 8)]
    [InlineData("Host=db;max auto prepare=4", 4)]
    public void Statements_are_prepared_automatically_unless_the_connection_string_says(string given, int prepared)
    {
        var connection = new NpgsqlConnectionStringBuilder(ServiceSetup.WithSessionSettings(given));
        Assert.Equal(prepared, connection.MaxAutoPrepare);
    }

    [Fact]
    public async Task The_services_sessions_run_with_them()
    {
        await using var session = Service.Store.QuerySession();
        foreach (var (name, value) in ServiceSetup.SessionSettings)
        {
            var shown = await session.AdvancedSql.QueryAsync<string>(
                "select setting from pg_settings where name = ?", CancellationToken.None, name);
            Assert.Equal((name, value), (name, shown.Single()));
        }
    }
}
