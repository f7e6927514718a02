using System.Net;
using ContinuityOfCare.EmbeddedPostgres;
using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.EmbeddedPostgres;

/// <summary>The service's run command on a machine with no database configured.</summary>
public sealed class EmbeddedDefaultDatabaseTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"coc-service-test-{Guid.NewGuid():N}");

    /// <summary>
    /// One data folder through a clean stop, a restart and a kill: one initdb and three starts, where two tests took
    /// two of each.
    /// </summary>
    [Fact]
    public async Task The_service_runs_its_own_database_keeps_the_data_and_takes_over_a_server_a_killed_service_left()
    {
        var settings = new Dictionary<string, string> { ["EmbeddedPostgres__DataDirectory"] = _folder };
        var pidFile = Path.Combine(_folder, "data", "postmaster.pid");
        Guid journeyId;

        await using (var service = ServiceProcess.Start(settings))
        {
            var client = await service.WaitUntilHealthyAsync(StartTimeout);
            var health = await (await client.GetAsync("/health")).ReadJsonAsync();
            Assert.True(health.GetProperty("embeddedDatabase").GetBoolean());

            client.DefaultRequestHeaders.Authorization = new(
                "Bearer", ServiceProcess.DevelopmentToken("prison", "LEI"));
            var created = await client.PostAsync("/api/v1/journeys", Json.Body(JourneyApi.Registration("LEI-KEPT-1")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            journeyId = (await created.ReadJsonAsync()).GetProperty("journeyId").GetGuid();

            Assert.Equal(0, await service.StopAsync(StartTimeout));
            Assert.Contains("Stopped embedded PostgreSQL", service.Output);
        }

        Assert.False(File.Exists(pidFile), "the embedded server is still running after a clean stop");

        await using (var killed = ServiceProcess.Start(settings))
        {
            var client = await killed.WaitUntilHealthyAsync(StartTimeout);
            client.DefaultRequestHeaders.Authorization = new(
                "Bearer", ServiceProcess.DevelopmentToken("prison", "LEI"));
            var journey = await client.GetAsync($"/api/v1/journeys/{journeyId}");
            Assert.Equal(HttpStatusCode.OK, journey.StatusCode);
            Assert.Equal("LEI-KEPT-1", (await journey.ReadJsonAsync()).GetProperty("journeyRef").GetString());
            await killed.KillAsync();
        }

        Assert.True(File.Exists(pidFile), "the kill left the embedded server running");

        await using (var next = ServiceProcess.Start(settings))
        {
            await next.WaitUntilHealthyAsync(StartTimeout);
            Assert.Contains("taking it over", next.Output);
            Assert.Equal(0, await next.StopAsync(StartTimeout));
            Assert.Contains("Stopped embedded PostgreSQL", next.Output);
        }

        Assert.False(File.Exists(pidFile), "the embedded server is still running");
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
    [InlineData(
        "Authentication__DevelopmentSigningKey", "", "set Authentication__Authority (an OpenID Connect authority)")]
    [InlineData("Authentication__DevelopmentSigningKey", "too-short", "at least 32 characters")]
    [InlineData("Authentication__Authority", "https://login.example.org/", "not both")]
    [InlineData("ASPNETCORE_ENVIRONMENT", "Production", "no way to check callers: set Authentication__Authority")]
    public async Task A_bad_continuity_setting_stops_the_service_with_a_message_naming_it(
        string setting, string value, string message)
    {
        var settings = new Dictionary<string, string>
        {
            ["EmbeddedPostgres__DataDirectory"] = _folder,
            [setting] = value,
        };
        if (setting == "ASPNETCORE_ENVIRONMENT")
        {
            settings["DOTNET_ENVIRONMENT"] = value;
        }

        await using var service = ServiceProcess.Start(settings);
        var exitCode = await service.WaitForExitAsync(StartTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("ContinuityOfCare cannot start", service.Output);
        Assert.Contains(message, service.Output);
        Assert.DoesNotContain("   at ", service.Output);
        Assert.False(
            Directory.Exists(Path.Combine(_folder, "data")), "settings are checked before any database is started");
    }

    [Fact]
    public async Task A_development_signing_key_is_refused_outside_development()
    {
        var settings = new Dictionary<string, string>
        {
            ["EmbeddedPostgres__DataDirectory"] = _folder,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Authentication__DevelopmentSigningKey"] = "a-development-key-of-forty-characters-000",
        };

        await using var service = ServiceProcess.Start(settings);

        Assert.Equal(1, await service.WaitForExitAsync(StartTimeout));
        Assert.Contains("refused in the Production environment", service.Output);
    }

    public void Dispose()
    {
        if (Directory.Exists(Path.Combine(_folder, "data")))
        {
            EmbeddedPostgresCluster.StopRunningServerAsync(new EmbeddedPostgresOptions { DataDirectory = _folder })
                .GetAwaiter().GetResult();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
