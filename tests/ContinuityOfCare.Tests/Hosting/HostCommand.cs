using System.Diagnostics;
using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.Hosting;

/// <summary>`dotnet ContinuityOfCare.dll ARGS`: one host command of the built service, run to its end.</summary>
public static class HostCommand
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(
        IReadOnlyDictionary<string, string> environment, string? workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(ServiceProcess.ServiceAssembly())!,
        };
        start.ArgumentList.Add(ServiceProcess.ServiceAssembly());
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        // As `dotnet run` starts it (Development) unless the test says otherwise; no database unless given one.
        start.Environment["ConnectionStrings__Marten"] = "";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
