using ContinuityOfCare.EmbeddedPostgres;
using ContinuityOfCare.Hosting;

var builder = WebApplication.CreateBuilder(args);

using var startupLogging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
ServiceDatabase database;
try
{
    database = await ServiceDatabase.OpenAsync(builder.Configuration, startupLogging.CreateLogger("ContinuityOfCare.Database"));
}
catch (EmbeddedPostgresException e)
{
    // Written for the person starting the service: what is missing and what to install or set.
    Console.Error.WriteLine($"ContinuityOfCare cannot start: {e.Message}");
    return 1;
}

// Disposed after the host has stopped, so the embedded server outlives every connection to it.
await using (database)
{
    builder.AddContinuityOfCare(database);
    var app = builder.Build();
    app.MapContinuityOfCare();
    await app.RunAsync();
}

return 0;

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
