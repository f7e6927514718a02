using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContinuityOfCare.EmbeddedPostgres;

/// <summary>
/// A private PostgreSQL cluster in a folder this process owns, listening on a free loopback port with a generated
/// superuser password. Started from the machine's PostgreSQL binaries; stopped on <see cref="StopAsync"/> or dispose,
/// unless it was already running when we attached to it (then whoever started it stops it).
/// </summary>
public sealed partial class EmbeddedPostgresCluster : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private const int PortAttempts = 5;

    private readonly EmbeddedPostgresOptions _options;
    private readonly PostgresBinaries _binaries;
    private readonly string? _runAsUser;
    private readonly ILogger _logger;
    private readonly string _password;
    private readonly OwnerLock? _ownerLock;
    private int _stopped;

    private EmbeddedPostgresCluster(
        EmbeddedPostgresOptions options, PostgresBinaries binaries, string? runAsUser, ILogger logger, string password,
        int port, OwnerLock? ownerLock)
    {
        _options = options;
        _binaries = binaries;
        _runAsUser = runAsUser;
        _logger = logger;
        _password = password;
        _ownerLock = ownerLock;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// False when another live process of ours owns the server running from this folder. A server left running by
    /// a process that died (kill -9) has no live owner: the next one to start takes it over and stops it.
    /// </summary>
    public bool OwnsServer => _ownerLock is not null;

    public string RootDirectory => _options.DataDirectory;

    /// <summary>Connection string for <see cref="EmbeddedPostgresOptions.DatabaseName"/>.</summary>
    public string ConnectionString => ConnectionStringFor(_options.DatabaseName);

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = Superuser,
        Password = _password,
        Database = database,
        // Marten, Wolverine and the async daemon each hold connections; the server allows 200.
        MaxPoolSize = 40,
    }.ConnectionString;

    public static async Task<EmbeddedPostgresCluster> StartAsync(
        EmbeddedPostgresOptions options, ILogger? logger = null, CancellationToken cancellation = default)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new EmbeddedPostgresException(
                "The embedded database runs on Linux and macOS only; on Windows set ConnectionStrings__Marten to an " +
                "existing PostgreSQL database.");
        }

        logger ??= NullLogger.Instance;
        ValidateDatabaseName(options.DatabaseName);
        var binaries = PostgresBinaries.Locate(options.BinDirectory);
        var runAsUser = ProcessUser.IsRoot ? await CheckRunAsUserAsync(options, cancellation) : null;

        options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        var root = options.DataDirectory;
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // Taken first: only the owner may initialise or start a server here; anyone else only attaches to one.
        var ownerLock = OwnerLock.TryTake(root);
        try
        {
            return await StartOrAttachAsync(options, binaries, runAsUser, ownerLock, logger, cancellation);
        }
        catch
        {
            ownerLock?.Dispose();
            throw;
        }
    }

    private static async Task<EmbeddedPostgresCluster> StartOrAttachAsync(
        EmbeddedPostgresOptions options, PostgresBinaries binaries, string? runAsUser, OwnerLock? ownerLock,
        ILogger logger, CancellationToken cancellation)
    {
        var root = options.DataDirectory;
        await HandOverAsync(root, runAsUser, cancellation);

        var dataDirectory = Path.Combine(root, "data");
        var passwordFile = Path.Combine(root, "superuser-password");
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")) || !File.Exists(passwordFile))
        {
            if (ownerLock is null)
            {
                throw new EmbeddedPostgresException(
                    $"Another process ({OwnerLock.Holder(root)}) is setting up the embedded database in '{root}'; " +
                    "start this one again once it is up, or give it its own EmbeddedPostgres__DataDirectory.");
            }

            await InitialiseAsync(options, binaries, runAsUser, passwordFile, logger, cancellation);
        }
        else
        {
            CheckVersionMatches(dataDirectory, binaries);
        }

        var password = (await File.ReadAllTextAsync(passwordFile, cancellation)).Trim();
        var runningPort = await RunningServerPortAsync(binaries, dataDirectory, runAsUser, root, cancellation);
        EmbeddedPostgresCluster cluster;
        if (runningPort is { } port)
        {
            if (ownerLock is null)
            {
                logger.LogInformation(
                    "Embedded PostgreSQL already running from {Folder} on 127.0.0.1:{Port}, owned by process " +
                    "{Owner}; attaching to it", root, port, OwnerLock.Holder(root));
            }
            else
            {
                logger.LogWarning(
                    "Embedded PostgreSQL was left running from {Folder} on 127.0.0.1:{Port} by a process that has " +
                    "ended; taking it over, so it stops when this service stops", root, port);
            }

            cluster = new EmbeddedPostgresCluster(options, binaries, runAsUser, logger, password, port, ownerLock);
        }
        else if (ownerLock is null)
        {
            throw new EmbeddedPostgresException(
                $"Another process ({OwnerLock.Holder(root)}) is starting the embedded database in '{root}'; start " +
                "this one again once it is up, or give it its own EmbeddedPostgres__DataDirectory.");
        }
        else
        {
            port = await StartServerAsync(options, binaries, runAsUser, cancellation);
            logger.LogInformation(
                "Started embedded PostgreSQL {Version} from {Bin} on 127.0.0.1:{Port} with data in {Folder}",
                binaries.MajorVersion, binaries.BinDirectory, port, root);
            cluster = new EmbeddedPostgresCluster(options, binaries, runAsUser, logger, password, port, ownerLock);
        }

        try
        {
            await cluster.CreateDatabaseAsync(options.DatabaseName, cancellation);
        }
        catch
        {
            await cluster.StopAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Creates the database if it does not exist yet, and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string database, CancellationToken cancellation = default)
    {
        ValidateDatabaseName(database);
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellation);

        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(cancellation) is null)
        {
            // Identifiers cannot be parameters; the name was checked against a strict pattern above.
            await using var create = new NpgsqlCommand($"create database \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(cancellation);
        }

        return ConnectionStringFor(database);
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (OwnsServer)
        {
            var result = await StopServerAsync(_binaries, _options, _runAsUser, CancellationToken.None);
            if (result.Succeeded)
            {
                _logger.LogInformation("Stopped embedded PostgreSQL in {Folder}", _options.DataDirectory);
            }
            else
            {
                _logger.LogWarning(
                    "Stopping embedded PostgreSQL in {Folder} failed: {Output}",
                    _options.DataDirectory, result.Output);
            }
        }

        if (_options.DeleteOnStop && OwnsServer)
        {
            try
            {
                Directory.Delete(_options.DataDirectory, recursive: true);
            }
            catch (IOException e)
            {
                _logger.LogWarning("Could not delete {Folder}: {Message}", _options.DataDirectory, e.Message);
            }
        }

        // Released last, so nobody takes over a folder that is being stopped or deleted.
        _ownerLock?.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>
    /// Stops the server abruptly (immediate mode: what a crash or a lost database host looks like to clients), keeping
    /// its folder, so fault tests can watch the service without its database. <see cref="RestartServerAsync"/>
    /// undoes it.
    /// </summary>
    public async Task CrashServerAsync()
    {
        var root = _options.DataDirectory;
        var result = await ShellCommand.RunAsync(
            _binaries.PgCtl, ["stop", "-D", Path.Combine(root, "data"), "-m", "immediate", "-w"],
            _runAsUser, root, _options.StartTimeout, CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new EmbeddedPostgresException($"Could not stop the embedded server in '{root}':\n{result.Output}");
        }
    }

    /// <summary>Starts the server again on the same port, so clients' connection strings still hold.</summary>
    public Task RestartServerAsync() =>
        StartServerAsync(_options, _binaries, _runAsUser, CancellationToken.None, Port);

    /// <summary>
    /// Stops a server running from <paramref name="options"/>' folder whoever started it, e.g. one left running by a
    /// process that was killed. Returns false when none was running.
    /// </summary>
    public static async Task<bool> StopRunningServerAsync(
        EmbeddedPostgresOptions options, CancellationToken cancellation = default)
    {
        var binaries = PostgresBinaries.Locate(options.BinDirectory);
        var runAsUser = ProcessUser.IsRoot ? options.RunAsUser : null;
        var root = Path.GetFullPath(options.DataDirectory);
        var dataDirectory = Path.Combine(root, "data");
        if (await RunningServerPortAsync(binaries, dataDirectory, runAsUser, root, cancellation) is null)
        {
            return false;
        }

        return (await StopServerAsync(binaries, options, runAsUser, cancellation)).Succeeded;
    }

    /// <summary>Fast shutdown: open sessions are ended, committed work is kept.</summary>
    private static Task<CommandResult> StopServerAsync(
        PostgresBinaries binaries, EmbeddedPostgresOptions options, string? runAsUser, CancellationToken cancellation)
    {
        var root = Path.GetFullPath(options.DataDirectory);
        return ShellCommand.RunAsync(
            binaries.PgCtl,
            ["stop", "-D", Path.Combine(root, "data"), "-m", "fast", "-w", "-t", Seconds(options.StartTimeout)],
            runAsUser, root, options.StartTimeout + TimeSpan.FromSeconds(5), cancellation);
    }

    private static async Task<string> CheckRunAsUserAsync(
        EmbeddedPostgresOptions options, CancellationToken cancellation)
    {
        var user = options.RunAsUser;
        var lookup = await ShellCommand.RunAsync(
            "id", ["-u", user], null, "/", TimeSpan.FromSeconds(10), cancellation);
        if (!lookup.Succeeded)
        {
            throw new EmbeddedPostgresException(
                $"This process runs as root, and PostgreSQL refuses to run as root, so the embedded database runs " +
                $"as the system user '{user}' (EmbeddedPostgres:RunAsUser), which does not exist here. Create it " +
                $"('useradd --system {user}', which installing the postgresql package also does), " +
                "run the service as " +
                "a normal user, or set ConnectionStrings__Marten to use an existing PostgreSQL server.");
        }

        return user;
    }

    /// <summary>When running as root, the folder must belong to the user the server runs as.</summary>
    private static async Task HandOverAsync(string root, string? runAsUser, CancellationToken cancellation)
    {
        if (runAsUser is null)
        {
            return;
        }

        var chown = await ShellCommand.RunAsync(
            "chown", ["-R", runAsUser, root], null, "/", TimeSpan.FromSeconds(30), cancellation);
        var access = await ShellCommand.RunAsync(
            "test", ["-w", root, "-a", "-x", root], runAsUser, "/", TimeSpan.FromSeconds(10), cancellation);
        if (!chown.Succeeded || !access.Succeeded)
        {
            throw new EmbeddedPostgresException(
                $"The embedded database folder '{root}' cannot be used by the system user '{runAsUser}', which the " +
                "server runs as because this process is root. Choose a folder that user can reach (every parent " +
                "folder must be searchable by it) with EmbeddedPostgres__DataDirectory. " + chown.Output);
        }
    }

    private static async Task InitialiseAsync(
        EmbeddedPostgresOptions options, PostgresBinaries binaries, string? runAsUser, string passwordFile,
        ILogger logger, CancellationToken cancellation)
    {
        var root = options.DataDirectory;
        var dataDirectory = Path.Combine(root, "data");
        if (Directory.Exists(dataDirectory))
        {
            // A folder without PG_VERSION is what an interrupted initdb leaves behind: nothing in it is data.
            logger.LogWarning(
                "Removing incomplete PostgreSQL data folder {Folder} before initialising it again", dataDirectory);
            Directory.Delete(dataDirectory, recursive: true);
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        // Created owner-only before the secret is written into it.
        await using (File.Create(passwordFile, 0, FileOptions.None))
        {
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await File.WriteAllTextAsync(passwordFile, password, cancellation);
        await HandOverAsync(root, runAsUser, cancellation);

        logger.LogInformation("Initialising embedded PostgreSQL data folder {Folder}", dataDirectory);
        string[] arguments =
        [
            "-D", dataDirectory, "-U", Superuser, $"--pwfile={passwordFile}", "--auth=scram-sha-256",
            "--encoding=UTF8", "--locale=C", "--no-instructions",
            // A server that runs without fsync has no use for a synced initialisation.
            .. options.Durable ? Array.Empty<string>() : ["--no-sync"],
        ];
        var init = await ShellCommand.RunAsync(
            binaries.Initdb, arguments,
            runAsUser, root, TimeSpan.FromMinutes(2), cancellation);
        if (!init.Succeeded)
        {
            throw new EmbeddedPostgresException(
                $"initdb could not create the embedded database in '{dataDirectory}' (exit {init.ExitCode}):\n" +
                $"{init.Output}");
        }

        // Loopback TCP only: no Unix socket whose folder permissions could differ between root and normal users.
        var settings = new List<string>
        {
            "",
            "# Set by ContinuityOfCare's embedded database",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "max_connections = 200",
            "timezone = 'UTC'",
        };
        if (!options.Durable)
        {
            settings.AddRange(["fsync = off", "synchronous_commit = off", "full_page_writes = off"]);
        }

        await File.AppendAllLinesAsync(Path.Combine(dataDirectory, "postgresql.conf"), settings, cancellation);
    }

    private static void CheckVersionMatches(string dataDirectory, PostgresBinaries binaries)
    {
        var dataVersion = File.ReadAllText(Path.Combine(dataDirectory, "PG_VERSION")).Trim();
        if (binaries.MajorVersion != 0 && dataVersion != binaries.MajorVersion.ToString())
        {
            throw new EmbeddedPostgresException(
                $"The embedded database in '{dataDirectory}' was created by PostgreSQL {dataVersion}, but the " +
                $"binaries found are PostgreSQL {binaries.MajorVersion} ({binaries.BinDirectory}). Set " +
                $"EmbeddedPostgres__BinDirectory to PostgreSQL {dataVersion}'s bin folder, or " +
                $"EmbeddedPostgres__DataDirectory to a new folder.");
        }
    }

    private static async Task<int?> RunningServerPortAsync(
        PostgresBinaries binaries, string dataDirectory, string? runAsUser, string root,
        CancellationToken cancellation)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        // A pid file left by a crash is stale; pg_ctl status checks whether that process is really the server.
        var status = await ShellCommand.RunAsync(
            binaries.PgCtl, ["status", "-D", dataDirectory], runAsUser, root, TimeSpan.FromSeconds(10), cancellation);
        if (!status.Succeeded)
        {
            return null;
        }

        // Line 4 of postmaster.pid is the port.
        var lines = await File.ReadAllLinesAsync(pidFile, cancellation);
        return lines.Length > 3 && int.TryParse(lines[3].Trim(), out var port) ? port : null;
    }

    private static async Task<int> StartServerAsync(
        EmbeddedPostgresOptions options, PostgresBinaries binaries, string? runAsUser, CancellationToken cancellation,
        int? fixedPort = null)
    {
        var root = options.DataDirectory;
        var dataDirectory = Path.Combine(root, "data");
        var logFile = Path.Combine(root, "postgres.log");
        CommandResult? last = null;
        for (var attempt = 1; attempt <= (fixedPort is null ? PortAttempts : 1); attempt++)
        {
            // Another process may take the port between our probe and the server's bind; then try another one.
            var port = fixedPort ?? FreeLoopbackPort();
            var logLength = File.Exists(logFile) ? new FileInfo(logFile).Length : 0;
            last = await ShellCommand.RunAsync(
                binaries.PgCtl,
                [
                    "start", "-D", dataDirectory, "-l", logFile, "-w", "-t", Seconds(options.StartTimeout),
                    "-o", $"-p {port}",
                ],
                runAsUser, root, options.StartTimeout + TimeSpan.FromSeconds(5), cancellation);
            if (last.Succeeded)
            {
                return port;
            }

            var log = ReadFrom(logFile, logLength);
            if (!PortTaken().IsMatch(log))
            {
                throw new EmbeddedPostgresException(
                    ($"The embedded PostgreSQL server in '{root}' did not start (exit {last.ExitCode}):\n" +
                        $"{last.Output}\n{log}").TrimEnd());
            }
        }

        throw new EmbeddedPostgresException(
            $"The embedded PostgreSQL server could not find a free loopback port after {PortAttempts} attempts:\n" +
            $"{last?.Output}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ReadFrom(string file, long offset)
    {
        if (!File.Exists(file))
        {
            return "";
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        return new StreamReader(stream).ReadToEnd().Trim();
    }

    private static void ValidateDatabaseName(string database)
    {
        if (!DatabaseNamePattern().IsMatch(database))
        {
            throw new EmbeddedPostgresException(
                $"'{database}' is not a usable database name: use lower-case letters, digits and '_', starting with " +
                "a letter.");
        }
    }

    private static string Seconds(TimeSpan timeout) => ((int)Math.Ceiling(timeout.TotalSeconds)).ToString();

    [GeneratedRegex(@"\A[a-z][a-z0-9_]{0,62}\z")]
    private static partial Regex DatabaseNamePattern();

    [GeneratedRegex("could not bind|Address already in use|could not create listen socket", RegexOptions.IgnoreCase)]
    private static partial Regex PortTaken();
}
