using System.Text.RegularExpressions;

namespace ContinuityOfCare.EmbeddedPostgres;

/// <summary>The folder of PostgreSQL server programs the cluster is run from.</summary>
public sealed partial record PostgresBinaries(string BinDirectory, int MajorVersion)
{
    private static readonly string[] RequiredPrograms = ["initdb", "pg_ctl", "postgres"];

    public string Initdb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    /// <summary>
    /// Finds the binaries in <paramref name="configuredBinDirectory"/> when given, otherwise in the usual install
    /// locations (newest version first) and then on PATH.
    /// </summary>
    public static PostgresBinaries Locate(string? configuredBinDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredBinDirectory))
        {
            var configured = Path.GetFullPath(configuredBinDirectory);
            var missing = RequiredPrograms.Where(p => !File.Exists(Path.Combine(configured, p))).ToList();
            if (missing.Count > 0)
            {
                throw new PostgresBinariesNotFoundException(
                    $"EmbeddedPostgres:BinDirectory is '{configured}', but {string.Join(", ", missing)} " +
                    $"{(missing.Count == 1 ? "is" : "are")} not there. " +
                    "Point it at the folder holding initdb, pg_ctl " +
                    "and postgres (for example /usr/lib/postgresql/15/bin), or set ConnectionStrings__Marten to use " +
                    "an existing PostgreSQL server instead.");
            }

            return FromDirectory(configured);
        }

        var searched = CandidateDirectories().ToList();
        var found = searched.FirstOrDefault(d => RequiredPrograms.All(p => File.Exists(Path.Combine(d, p))));
        if (found is null)
        {
            throw new PostgresBinariesNotFoundException(
                "No database is configured, and the PostgreSQL server programs (initdb, pg_ctl, postgres) needed to " +
                "run the embedded default database were not found" +
                (searched.Count > 0 ? $" (looked in {string.Join(", ", searched.Distinct())})" : "") + ". Either:\n" +
                "  - install PostgreSQL 13 or newer: Debian/Ubuntu 'apt-get install -y postgresql', " +
                "Fedora 'dnf install postgresql-server', macOS 'brew install postgresql@15'; or\n" +
                "  - set EmbeddedPostgres__BinDirectory to the folder that holds initdb, pg_ctl and postgres; or\n" +
                "  - set ConnectionStrings__Marten to the connection string of an existing PostgreSQL database.");
        }

        return FromDirectory(found);
    }

    private static PostgresBinaries FromDirectory(string directory)
    {
        // Debian keeps one folder per major version, e.g. /usr/lib/postgresql/15/bin; elsewhere ask pg_config.
        var version = VersionFromPath(directory) ?? VersionFromPgConfig(directory) ?? 0;
        return new PostgresBinaries(directory, version);
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        foreach (var root in new[] { "/usr/lib/postgresql", "/usr/local/lib/postgresql" })
        {
            if (Directory.Exists(root))
            {
                foreach (var versioned in Directory.GetDirectories(root)
                             .OrderByDescending(d => VersionFromPath(d + "/bin") ?? 0))
                {
                    yield return Path.Combine(versioned, "bin");
                }
            }
        }

        foreach (var pattern in new[]
        {
            ("/usr", "pgsql-*"), ("/opt/homebrew/opt", "postgresql*"), ("/usr/local/opt", "postgresql*"),
        })
        {
            if (Directory.Exists(pattern.Item1))
            {
                foreach (var d in Directory.GetDirectories(pattern.Item1, pattern.Item2).OrderByDescending(d => d))
                {
                    yield return Path.Combine(d, "bin");
                }
            }
        }

        yield return "/usr/local/pgsql/bin";

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // A symlinked pg_ctl on PATH (e.g. /usr/local/bin) is followed to the folder that holds postgres too.
            var pgCtl = Path.Combine(entry, "pg_ctl");
            if (File.Exists(pgCtl))
            {
                var target = new FileInfo(pgCtl).ResolveLinkTarget(returnFinalTarget: true);
                yield return target is null ? entry : Path.GetDirectoryName(target.FullName)!;
            }
        }
    }

    private static int? VersionFromPath(string binDirectory)
    {
        var match = DebianVersionFolder().Match(binDirectory);
        return match.Success ? int.Parse(match.Groups[1].Value) : null;
    }

    private static int? VersionFromPgConfig(string binDirectory)
    {
        var pgConfig = Path.Combine(binDirectory, "pg_config");
        if (!File.Exists(pgConfig))
        {
            return null;
        }

        var result = ShellCommand.RunAsync(
                pgConfig, ["--version"], null, binDirectory, TimeSpan.FromSeconds(10), CancellationToken.None)
            .GetAwaiter().GetResult();
        var match = PgConfigVersion().Match(result.Output);
        return match.Success ? int.Parse(match.Groups[1].Value) : null;
    }

    [GeneratedRegex(@"postgresql/(\d+)/bin/?$")]
    private static partial Regex DebianVersionFolder();

    [GeneratedRegex(@"PostgreSQL (\d+)")]
    private static partial Regex PgConfigVersion();
}
