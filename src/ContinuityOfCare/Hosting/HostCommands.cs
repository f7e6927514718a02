using Spectre.Console;

namespace ContinuityOfCare.Hosting;

/// <summary>
/// The command line: no command (or only host options such as <c>--urls</c>) runs the service, as it always has;
/// a command name runs that JasperFx command (help, mint-token, db-apply, projections, codegen, ...).
/// </summary>
public static class HostCommands
{
    private static readonly string[] HelpFlags = ["--help", "-h", "-?", "/?"];

    /// <summary><c>--help</c> means JasperFx's <c>help</c> (JasperFx alone would pass it to <c>run</c>).</summary>
    public static string[] WithHelpAsCommand(string[] args) =>
        args is [var first, .. var rest] && HelpFlags.Contains(first) ? ["help", .. rest] : args;

    /// <summary>
    /// A command whose output scripts capture (<c>TOKEN=$(... mint-token ...)</c>) keeps standard output for its
    /// result: JasperFx writes its command discovery ("Searching ... for commands") to the console first.
    /// </summary>
    public static void KeepStandardOutputForTheResult(string[] args)
    {
        if (args is ["mint-token", ..])
        {
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(Console.Error),
            });
        }
    }

    /// <summary>
    /// What JasperFx would hand to its <c>run</c> command. The service runs it itself: JasperFx's run prints a stack
    /// trace for a failed start, and for <c>--urls</c> swallows the failure and exits 0.
    /// </summary>
    public static bool RunsTheService(string[] args) => args is [] || args[0].StartsWith('-');

    public static async Task<int> RunServiceAsync(WebApplication app, ILogger logger)
    {
        try
        {
            await app.RunAsync();
        }
        catch (Weasel.Core.Migrations.DatabaseValidationException)
        {
            // Production changes no schema unless told to (CritterStackSetup); the differences are logged above.
            Console.Error.WriteLine("ContinuityOfCare cannot start: the database schema is missing or out of date; " +
                "apply it with the db-apply command, or set Database__ApplyChangesOnStartup=true");
            return 1;
        }
        catch (Exception e) when (ShutdownRace.IsProjectionCoordinatorStop(e))
        {
            logger.LogWarning(
                "The projection daemon raced its own shutdown (upstream JasperFx); the service stopped cleanly");
        }

        return 0;
    }
}
