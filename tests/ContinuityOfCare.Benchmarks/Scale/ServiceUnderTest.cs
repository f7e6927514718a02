using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ContinuityOfCare.Access;

namespace ContinuityOfCare.Benchmarks.Scale;

/// <summary>
/// The built service (this run's configuration, next to this benchmark's build) run as its own process, as
/// `dotnet run` starts it (Development, with its development signing key), on the given database.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceUnderTest(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

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

    public static ServiceUnderTest Start(string connectionString)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var assembly = Assembly();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        foreach (var argument in new[] { assembly, "--urls", url.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__Marten"] = connectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // Requests are measured, not logged: a line per request would be part of what is measured.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // One user sends every request here: the per-user limit would otherwise be what is measured.
        start.Environment["Authentication__RequestsPerMinute"] = "100000000";

        var process = new Process { StartInfo = start };
        var service = new ServiceUnderTest(process, url);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>A client with a development token the service accepts.</summary>
    public HttpClient Client(string[] roles, string[] organisations)
    {
        var settings = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(Path.GetDirectoryName(Assembly())!, "appsettings.Development.json")));
        var key = settings.RootElement.GetProperty("Authentication").GetProperty("DevelopmentSigningKey").GetString()!;
        var token = DevelopmentTokens.Mint(
            new AccessSettings { DevelopmentSigningKey = key }, "scale-benchmark", roles, organisations,
            lifetime: TimeSpan.FromHours(12));
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = Url, Timeout = TimeSpan.FromMinutes(5),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Url };
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
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The service did not become healthy within {timeout}:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first, as a service manager would; killed if it has not stopped in 30 s.
            Process.Start("kill", ["-TERM", _process.Id.ToString()]).WaitForExit();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    /// <summary>The service's build output in this benchmark's configuration (it references the service).</summary>
    private static string Assembly()
    {
        // .../tests/ContinuityOfCare.Benchmarks/bin/<Configuration>/net10.0
        var output = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var configuration = new DirectoryInfo(output).Parent!.Name;
        var root = new DirectoryInfo(output);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ContinuityOfCare.sln")))
        {
            root = root.Parent;
        }

        var assembly = Path.Combine(
            root?.FullName ?? "", "src", "ContinuityOfCare", "bin", configuration, "net10.0", "ContinuityOfCare.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException(
            $"Build the solution first ({configuration}): {assembly} is missing", assembly);
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
