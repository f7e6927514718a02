using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.EmbeddedPostgres;
using ContinuityOfCare.Hosting;

var minting = args.FirstOrDefault() == "mint-token";
var builder = WebApplication.CreateBuilder(minting ? [] : args);

using var startupLogging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
ContinuitySettings settings;
AccessSettings access;
ServiceDatabase database;
try
{
    access = AccessSettings.From(builder.Configuration);
    if (access.UsesDevelopmentKey && !(builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing")))
    {
        throw new InvalidSettingsException(
            $"a development signing key protects nothing real: it is refused in the {builder.Environment.EnvironmentName} environment; set Authentication__Authority");
    }

    if (minting)
    {
        return DevelopmentTokens.Command(args, access, Console.Out, Console.Error);
    }

    settings = ContinuitySettings.From(builder.Configuration);
    database = await ServiceDatabase.OpenAsync(builder.Configuration, startupLogging.CreateLogger("ContinuityOfCare.Database"));
}
catch (Exception e) when (e is EmbeddedPostgresException or InvalidSettingsException)
{
    // Written for the person starting the service: what is missing and what to install or set.
    Console.Error.WriteLine($"ContinuityOfCare cannot start: {e.Message}");
    return 1;
}

// Disposed after the host has stopped, so the embedded server outlives every connection to it.
await using (database)
{
    builder.AddContinuityOfCare(database, settings, access);
    var app = builder.Build();
    app.MapContinuityOfCare();
    try
    {
        await app.RunAsync();
    }
    catch (Exception e) when (ShutdownRace.IsProjectionCoordinatorStop(e))
    {
        startupLogging.CreateLogger("ContinuityOfCare").LogWarning("The projection daemon raced its own shutdown (upstream JasperFx); the service stopped cleanly");
    }
}

return 0;

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
