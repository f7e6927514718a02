using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.Hosting;

/// <summary>
/// In production the service changes no schema unless told to: `db-apply` is the deployment step (or
/// Database__ApplyChangesOnStartup=true), and it loads its pre-generated code instead of compiling any.
/// </summary>
[Collection(HeavyPostgresCollection.Name)]
public sealed class ProductionSchemaTests(PostgresCluster postgres)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task
        A_production_start_on_a_database_without_the_schema_stops_and_db_apply_is_the_step_that_fixes_it()
    {
        var settings = Production(await postgres.NewDatabaseAsync("production_schema"));

        await using (var refused = ServiceProcess.Start(settings))
        {
            Assert.Equal(1, await refused.WaitForExitAsync(StartTimeout));
            Assert.Contains("cannot start: the database schema is missing or out of date", refused.Output);
            Assert.Contains("db-apply", refused.Output);
        }

        var (exit, output, error) = await HostCommand.RunAsync(settings, null, "db-apply");
        Assert.True(exit == 0, $"db-apply failed:\n{output}\n{error}");

        await using var service = ServiceProcess.Start(settings);
        await service.WaitUntilHealthyAsync(StartTimeout);
        Assert.Equal(0, await service.StopAsync(StartTimeout));
        Assert.Contains("pre-generated", service.Output);
    }

    [Fact]
    public async Task Database_ApplyChangesOnStartup_lets_a_production_start_create_the_schema_itself()
    {
        var settings = Production(await postgres.NewDatabaseAsync("production_apply"));
        settings["Database__ApplyChangesOnStartup"] = "true";

        await using var service = ServiceProcess.Start(settings);
        await service.WaitUntilHealthyAsync(StartTimeout);
        Assert.Equal(0, await service.StopAsync(StartTimeout));
    }

    /// <summary>A production start: tokens from an authority (never called here: health is anonymous).</summary>
    private static Dictionary<string, string> Production(string connectionString) => new()
    {
        ["ConnectionStrings__Marten"] = connectionString,
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Authentication__Authority"] = "https://login.example.org/",
        ["Logging__LogLevel__Wolverine"] = "Information",
    };
}
