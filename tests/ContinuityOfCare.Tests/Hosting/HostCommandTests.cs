namespace ContinuityOfCare.Tests.Hosting;

/// <summary>The built service's command line, run as the README runs it (JasperFx commands).</summary>
public sealed class HostCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"coc-command-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task Help_lists_the_services_commands_and_Martens_and_Wolverines_and_starts_nothing()
    {
        var (exit, output, _) = await RunAsync("--help");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "mint-token", "db-apply", "db-assert", "projections", "codegen", "describe" })
        {
            Assert.Contains(command, output);
        }

        Assert.False(Directory.Exists(_folder), "help started the embedded database");
        Assert.DoesNotContain("Now listening", output);
    }

    [Fact]
    public async Task Mint_token_prints_only_the_token_on_standard_output_without_starting_a_database()
    {
        var (exit, output, _) = await RunAsync("mint-token", "--role", "prison", "--role", "provider", "--org", "LEI");

        Assert.Equal(0, exit);
        // Only the token, so that TOKEN=$(... mint-token ...) captures it as it is.
        Assert.Matches(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$", output);
        var token = output.TrimEnd();
        var payload = token.Split('.')[1];
        var claims = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(
            payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=').Replace('-', '+').Replace('_', '/')));
        Assert.Contains("\"prison\"", claims);
        Assert.Contains("\"provider\"", claims);
        Assert.Contains("\"LEI\"", claims);
        Assert.False(Directory.Exists(_folder), "mint-token started the embedded database");
    }

    [Fact]
    public async Task Mint_token_help_names_its_options_and_bad_options_fail()
    {
        var (_, help, _) = await RunAsync("help", "mint-token");
        foreach (var option in new[] { "--role", "--org", "--user", "--permission", "--hours" })
        {
            Assert.Contains(option, help);
        }

        var (exit, _, refused) = await RunAsync("mint-token", "--role", "warden", "--org", "LEI");
        Assert.Equal(1, exit);
        Assert.Contains("usage: mint-token", refused);
        var (unparsed, _, _) = await RunAsync("mint-token", "--role", "prison", "--org", "LEI", "--hours", "forever");
        Assert.NotEqual(0, unparsed);
    }

    /// <summary>As `dotnet run` starts it (Development), with no database configured.</summary>
    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) =>
        HostCommand.RunAsync(
            new Dictionary<string, string> { ["EmbeddedPostgres__DataDirectory"] = _folder }, null, args);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
