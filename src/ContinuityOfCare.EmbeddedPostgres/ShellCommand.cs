using System.Diagnostics;
using System.Text;

namespace ContinuityOfCare.EmbeddedPostgres;

internal sealed record CommandResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs a program to completion, optionally as another system user (root cannot run PostgreSQL).</summary>
internal static class ShellCommand
{
    public static async Task<CommandResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string? runAsUser,
        string workingDirectory,
        TimeSpan timeout,
        CancellationToken cancellation)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };

        if (runAsUser is null)
        {
            start.FileName = program;
        }
        else
        {
            start.FileName = "runuser";
            foreach (var prefix in new[] { "-u", runAsUser, "--", program })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Messages are parsed for known failures (e.g. a port already taken), so keep them in English.
        start.Environment["LC_ALL"] = "C";
        start.Environment["LANG"] = "C";

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(127, $"could not run {start.FileName}: {e.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return new CommandResult(
                124, $"{Describe(start)} did not finish within {timeout.TotalSeconds:0} s.\n{output}");
        }

        // Flushes the asynchronous readers.
        process.WaitForExit();
        lock (output)
        {
            return new CommandResult(process.ExitCode, output.ToString().Trim());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Describe(ProcessStartInfo start) =>
        string.Join(' ', new[] { start.FileName }.Concat(start.ArgumentList));
}
