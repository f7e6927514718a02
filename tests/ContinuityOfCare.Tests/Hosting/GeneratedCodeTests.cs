using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.Hosting;

/// <summary>
/// The generated handler and endpoint code committed under src/ContinuityOfCare/Internal/Generated, which
/// production loads instead of compiling and Development and the tests load when present, is exactly what
/// <c>codegen write</c> generates from today's code: a stale file would run yesterday's handler.
/// </summary>
public sealed class GeneratedCodeTests : IDisposable
{
    public const string Regenerate =
        "rm -rf src/ContinuityOfCare/Internal/Generated && dotnet run --project src/ContinuityOfCare -- codegen write";

    private readonly string _contentRoot = Path.Combine(Path.GetTempPath(), $"coc-codegen-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task The_committed_generated_code_is_what_codegen_write_generates_now()
    {
        var service = Path.GetDirectoryName(ServiceProcess.ServiceAssembly())!;
        Directory.CreateDirectory(_contentRoot);
        foreach (var settings in Directory.GetFiles(service, "appsettings*.json"))
        {
            File.Copy(settings, Path.Combine(_contentRoot, Path.GetFileName(settings)));
        }

        // Run from a scratch content root: `codegen write` writes <content root>/Internal/Generated. Generating code
        // connects to nothing; a configured database keeps the embedded default from starting if that ever changes.
        var (exit, output, error) = await HostCommand.RunAsync(
            new Dictionary<string, string> { ["ConnectionStrings__Marten"] = "Host=127.0.0.1;Port=9;Database=none" },
            _contentRoot, "codegen", "write");
        Assert.True(exit == 0, $"codegen write failed:\n{output}\n{error}");

        var generated = Files(Path.Combine(_contentRoot, "Internal", "Generated"));
        var committed = Files(Path.Combine(RepositoryRoot(), "src", "ContinuityOfCare", "Internal", "Generated"));
        Assert.NotEmpty(generated);
        var stale = generated.Keys.Union(committed.Keys).Order()
            .Where(file => generated.GetValueOrDefault(file) != committed.GetValueOrDefault(file))
            .Select(file => !committed.ContainsKey(file) ? $"{file} is missing"
                : !generated.ContainsKey(file) ? $"{file} is no longer generated"
                : $"{file} differs")
            .ToList();
        Assert.True(stale.Count == 0,
            $"The committed generated code is stale ({string.Join("; ", stale)}). From the repository root, run:\n" +
            $"  {Regenerate}\nand commit src/ContinuityOfCare/Internal/Generated.");
    }

    /// <summary>Relative path to content, line endings normalised.</summary>
    private static Dictionary<string, string> Files(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories).ToDictionary(
                file => Path.GetRelativePath(folder, file).Replace('\\', '/'),
                file => File.ReadAllText(file).ReplaceLineEndings("\n"))
            : [];

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "ContinuityOfCare.sln")))
        {
            folder = folder.Parent
                ?? throw new InvalidOperationException("ContinuityOfCare.sln not found above the tests");
        }

        return folder.FullName;
    }

    public void Dispose()
    {
        if (Directory.Exists(_contentRoot))
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
    }
}
