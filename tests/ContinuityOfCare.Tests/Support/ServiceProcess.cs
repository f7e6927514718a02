using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ContinuityOfCare.Tests.Support;

/// <summary>The built service run as its own process, as the README's run command does, with given settings.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>A token the started service accepts: signed with the key in its
    /// appsettings.Development.json.</summary>
    public static string DevelopmentToken(
        string role, string organisation) => DevelopmentToken([role], [organisation]);

    public static string DevelopmentToken(string[] roles, string[] organisations)
    {
        var settings = System.Text.Json.JsonDocument.Parse(
            File.ReadAllText(Path.Combine(Path.GetDirectoryName(ServiceAssembly())!, "appsettings.Development.json")));
        var key = settings.RootElement.GetProperty("Authentication").GetProperty("DevelopmentSigningKey").GetString()!;
        return ContinuityOfCare.Access.DevelopmentTokens.Mint(
            new ContinuityOfCare.Access.AccessSettings { DevelopmentSigningKey = key }, "service-process-test", roles,
            organisations);
    }

    /// <summary>
    /// `dotnet ContinuityOfCare.dll ARGS` as `dotnet run` starts it (Development, with the development signing key)
    /// unless <paramref name="environment"/> says otherwise, and nothing from the test process's own settings: no
    /// connection string unless the test gives one.
    /// </summary>
    public static ProcessStartInfo StartInfo(
        IEnumerable<KeyValuePair<string, string>> environment, string? workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(ServiceAssembly())!,
        };
        start.ArgumentList.Add(ServiceAssembly());
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__Marten"] = "";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // A test's service lives seconds: profile-guided recompilation costs it more CPU than it gives back.
        start.Environment["DOTNET_TieredPGO"] = "0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public static ServiceProcess Start(IDictionary<string, string> environment)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = StartInfo(environment, null, "--urls", url);
        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, url);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public async Task<HttpClient> WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return client;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The service did not become healthy within {timeout}:\n{Output}");
    }

    /// <summary>SIGTERM, as a service manager or Ctrl+C would: the host shuts down gracefully.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        Process.Start("kill", ["-TERM", _process.Id.ToString()]).WaitForExit();
        return await WaitForExitAsync(timeout);
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        Process.Start("kill", ["-KILL", _process.Id.ToString()]).WaitForExit();
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // flush output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The service's own build output, built with the tests (same configuration).</summary>
    internal static string ServiceAssembly()
    {
        // .../tests/ContinuityOfCare.Tests/bin/<Configuration>/net10.0
        var testOutput = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var configuration = new DirectoryInfo(testOutput).Parent!.Name;
        var root = new DirectoryInfo(testOutput);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ContinuityOfCare.sln")))
        {
            root = root.Parent;
        }

        var assembly = Path.Combine(
            root!.FullName, "src", "ContinuityOfCare", "bin", configuration, "net10.0", "ContinuityOfCare.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException(
            $"Build the solution first: {assembly} is missing", assembly);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
