using System.Diagnostics;
using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.Hosting;

/// <summary>`dotnet ContinuityOfCare.dll ARGS`: one host command of the built service, run to its end.</summary>
public static class HostCommand
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(
        IReadOnlyDictionary<string, string> environment, string? workingDirectory, params string[] args)
    {
        var start = ServiceProcess.StartInfo(environment, workingDirectory, args);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
