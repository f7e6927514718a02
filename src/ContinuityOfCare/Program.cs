using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.EmbeddedPostgres;
using ContinuityOfCare.Hosting;
using JasperFx;

args = HostCommands.WithHelpAsCommand(args);
var builder = WebApplication.CreateBuilder(args);

using var startupLogging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
ContinuitySettings settings;
AccessSettings access;
ServiceDatabase database;
try
{
    access = AccessSettings.From(builder.Configuration);
    if (access.UsesDevelopmentKey
        && !(builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing")))
    {
        throw new InvalidSettingsException(
            "a development signing key protects nothing real: " +
            $"it is refused in the {builder.Environment.EnvironmentName} environment; set Authentication__Authority");
    }

    settings = ContinuitySettings.From(builder.Configuration);
    database = ServiceDatabase.From(builder.Configuration, startupLogging.CreateLogger("ContinuityOfCare.Database"));
}
catch (InvalidSettingsException e)
{
    // Written for the person starting the service: what is missing and what to install or set.
    Console.Error.WriteLine($"ContinuityOfCare cannot start: {e.Message}");
    return 1;
}

// Disposed after the host (declared first), so the embedded server outlives every connection to it.
await using (database)
{
    builder.AddContinuityOfCare(database, settings, access);
    await using var app = builder.Build();
    app.MapContinuityOfCare();

    if (HostCommands.RunsTheService(args))
    {
        try
        {
            // Started before the host, so a missing PostgreSQL is one line before anything else runs.
            await database.StartAsync();
        }
        catch (EmbeddedPostgresException e)
        {
            Console.Error.WriteLine($"ContinuityOfCare cannot start: {e.Message}");
            return 1;
        }

        return await HostCommands.RunServiceAsync(app, startupLogging.CreateLogger("ContinuityOfCare"));
    }

    // help, mint-token, and Marten's and Wolverine's commands (db-apply, projections, codegen, describe, ...).
    HostCommands.KeepStandardOutputForTheResult(args);
    return await app.RunJasperFxCommands(args);
}

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
