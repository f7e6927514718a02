using System.Net;
using ContinuityOfCare.EmbeddedPostgres;
using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.EmbeddedPostgres;

/// <summary>The service's run command on a machine with no database configured.</summary>
public sealed class EmbeddedDefaultDatabaseTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"coc-service-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task With_no_connection_string_the_service_runs_its_own_database_stops_it_on_shutdown_and_keeps_the_data()
    {
        var settings = new Dictionary<string, string> { ["EmbeddedPostgres__DataDirectory"] = _folder };
        Guid journeyId;

        await using (var service = ServiceProcess.Start(settings))
        {
            var client = await service.WaitUntilHealthyAsync(StartTimeout);
            var health = await (await client.GetAsync("/health")).ReadJsonAsync();
            Assert.True(health.GetProperty("embeddedDatabase").GetBoolean());

            var created = await client.PostAsync("/api/v1/journeys", Json.Body(JourneyApi.Registration("LEI-KEPT-1")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            journeyId = (await created.ReadJsonAsync()).GetProperty("journeyId").GetGuid();

            Assert.Equal(0, await service.StopAsync(StartTimeout));
            Assert.Contains("Stopped embedded PostgreSQL", service.Output);
        }

        Assert.False(File.Exists(Path.Combine(_folder, "data", "postmaster.pid")), "the embedded server is still running");

        await using (var again = ServiceProcess.Start(settings))
        {
            var client = await again.WaitUntilHealthyAsync(StartTimeout);
            var journey = await client.GetAsync($"/api/v1/journeys/{journeyId}");
            Assert.Equal(HttpStatusCode.OK, journey.StatusCode);
            Assert.Equal("LEI-KEPT-1", (await journey.ReadJsonAsync()).GetProperty("journeyRef").GetString());
            Assert.Equal(0, await again.StopAsync(StartTimeout));
        }
    }

    [Fact]
    public async Task Without_PostgreSQL_binaries_the_service_stops_with_one_clear_message()
    {
        Directory.CreateDirectory(_folder);
        var settings = new Dictionary<string, string>
        {
            ["EmbeddedPostgres__DataDirectory"] = _folder,
            ["EmbeddedPostgres__BinDirectory"] = _folder, // no initdb, pg_ctl or postgres here
        };

        await using var service = ServiceProcess.Start(settings);
        var exitCode = await service.WaitForExitAsync(StartTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("ContinuityOfCare cannot start", service.Output);
        Assert.Contains("ConnectionStrings__Marten", service.Output);
        Assert.DoesNotContain("   at ", service.Output); // no stack trace
    }

    [Theory]
    [InlineData("Continuity__WindowDays", "400", "Continuity:WindowDays must be 0 to 366")]
    [InlineData("Continuity__SuppressionThreshold", "0", "Continuity:SuppressionThreshold must be 1")]
    [InlineData("Continuity__RetentionWeeks", "twelve", "RetentionWeeks")]
    [InlineData("Continuity__WindowDay", "21", "WindowDay")]
    public async Task A_bad_continuity_setting_stops_the_service_with_a_message_naming_it(string setting, string value, string message)
    {
        var settings = new Dictionary<string, string> { ["EmbeddedPostgres__DataDirectory"] = _folder, [setting] = value };

        await using var service = ServiceProcess.Start(settings);
        var exitCode = await service.WaitForExitAsync(StartTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("ContinuityOfCare cannot start", service.Output);
        Assert.Contains(message, service.Output);
        Assert.DoesNotContain("   at ", service.Output);
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")), "settings are checked before any database is started");
    }

    public void Dispose()
    {
        if (Directory.Exists(Path.Combine(_folder, "data")))
        {
            EmbeddedPostgresCluster.StopRunningServerAsync(new EmbeddedPostgresOptions { DataDirectory = _folder }).GetAwaiter().GetResult();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
