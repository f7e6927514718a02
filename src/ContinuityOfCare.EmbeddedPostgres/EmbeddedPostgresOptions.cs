namespace ContinuityOfCare.EmbeddedPostgres;

/// <summary>
/// Settings for a private PostgreSQL cluster run from the machine's PostgreSQL binaries.
/// Bound from the "EmbeddedPostgres" configuration section by the service.
/// </summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>
    /// Folder the cluster owns (server data, password, log). Kept between runs unless <see cref="DeleteOnStop"/>.
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>
    /// Folder holding initdb, pg_ctl and postgres. Null: searched for in the usual places and on PATH.
    /// </summary>
    public string? BinDirectory { get; set; }

    /// <summary>
    /// Database created (if missing) and named in <see cref="EmbeddedPostgresCluster.ConnectionString"/>.
    /// </summary>
    public string DatabaseName { get; set; } = "continuity_of_care";

    /// <summary>
    /// PostgreSQL refuses to run as root, so when this process is root the server runs as this system user.
    /// Ignored for any other user.
    /// </summary>
    public string RunAsUser { get; set; } = "postgres";

    /// <summary>Throwaway clusters (tests) trade crash safety for speed: fsync and full-page writes off.</summary>
    public bool Durable { get; set; } = true;

    /// <summary>Remove the whole folder on stop (tests).</summary>
    public bool DeleteOnStop { get; set; }

    /// <summary>How long a start or stop may take before it is reported as failed.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Per-user folder, independent of the working directory so every run finds the same data. Root's home is not
    /// readable by the postgres user, so root gets a folder under /var/lib instead.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        if (OperatingSystem.IsLinux() && ProcessUser.IsRoot)
        {
            return "/var/lib/continuity-of-care/postgres";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome))
        {
            dataHome = Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "continuity-of-care", "postgres");
    }

    /// <summary>A fresh folder under the temp directory, deleted on stop, with durability off: for tests.</summary>
    public static EmbeddedPostgresOptions Throwaway(string databaseName = "continuity_of_care_test") => new()
    {
        // /tmp is traversable by the postgres user, which matters when tests run as root.
        DataDirectory = Path.Combine(Path.GetTempPath(), $"continuity-of-care-pg-{Guid.NewGuid():N}"),
        DatabaseName = databaseName,
        Durable = false,
        DeleteOnStop = true,
    };
}
