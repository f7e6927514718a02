using ContinuityOfCare.EmbeddedPostgres;
using Npgsql;

namespace ContinuityOfCare.Tests.EmbeddedPostgres;

/// <summary>The component behind the service's embedded default database and the tests' throwaway clusters.</summary>
public sealed class EmbeddedPostgresClusterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"coc-embedded-test-{Guid.NewGuid():N}");

    private EmbeddedPostgresOptions Kept() =>
        new() { DataDirectory = _folder, Durable = false, DatabaseName = "kept" };

    [Fact]
    public async Task A_throwaway_cluster_answers_on_loopback_and_is_gone_after_stopping()
    {
        var options = EmbeddedPostgresOptions.Throwaway();
        var cluster = await EmbeddedPostgresCluster.StartAsync(options);

        Assert.True(cluster.OwnsServer);
        Assert.Equal(1, await ScalarAsync<int>(cluster.ConnectionString, "select 1"));
        Assert.Equal("continuity_of_care_test", await ScalarAsync<string>(
            cluster.ConnectionString, "select current_database()"));
        Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Host);

        await cluster.StopAsync();
        Assert.False(Directory.Exists(options.DataDirectory));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync<int>(cluster.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task Data_is_kept_between_runs()
    {
        await using (var first = await EmbeddedPostgresCluster.StartAsync(Kept()))
        {
            await ExecuteAsync(
                first.ConnectionString, "create table releases (id int); insert into releases values (1), (2)");
        }

        Assert.False(File.Exists(Path.Combine(_folder, "data", "postmaster.pid"))); // really stopped

        await using var second = await EmbeddedPostgresCluster.StartAsync(Kept());
        Assert.Equal(2L, await ScalarAsync<long>(second.ConnectionString, "select count(*) from releases"));
    }

    [Fact]
    public async Task A_second_start_on_a_running_folder_attaches_and_leaves_the_server_to_its_owner()
    {
        await using var owner = await EmbeddedPostgresCluster.StartAsync(Kept());
        await using (var attached = await EmbeddedPostgresCluster.StartAsync(Kept()))
        {
            Assert.False(attached.OwnsServer);
            Assert.Equal(owner.Port, attached.Port);
            Assert.Equal(1, await ScalarAsync<int>(attached.ConnectionString, "select 1"));
        }

        Assert.Equal(1, await ScalarAsync<int>(owner.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task A_server_left_running_by_a_killed_process_can_be_stopped()
    {
        var cluster = await EmbeddedPostgresCluster.StartAsync(Kept()); // never stopped by its owner

        Assert.True(await EmbeddedPostgresCluster.StopRunningServerAsync(Kept()));
        Assert.False(await EmbeddedPostgresCluster.StopRunningServerAsync(Kept()));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync<int>(cluster.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task An_interrupted_initialisation_is_started_over()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "data", "postgresql.conf"), "half written");

        await using var cluster = await EmbeddedPostgresCluster.StartAsync(Kept());
        Assert.Equal(1, await ScalarAsync<int>(cluster.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task Missing_binaries_are_one_clear_message_saying_what_to_install_or_set()
    {
        Directory.CreateDirectory(_folder);
        var options = new EmbeddedPostgresOptions { DataDirectory = _folder, BinDirectory = _folder };

        var error = await Assert.ThrowsAsync<PostgresBinariesNotFoundException>(
            () => EmbeddedPostgresCluster.StartAsync(options));

        Assert.Contains("initdb", error.Message);
        Assert.Contains("ConnectionStrings__Marten", error.Message);
        Assert.Contains("/usr/lib/postgresql/15/bin", error.Message);
    }

    [Theory]
    [InlineData("Robert'); drop table students;--")]
    [InlineData("UPPER")]
    [InlineData("")]
    public async Task Database_names_are_checked_before_use(string name)
    {
        var options = EmbeddedPostgresOptions.Throwaway(name);
        await Assert.ThrowsAsync<EmbeddedPostgresException>(() => EmbeddedPostgresCluster.StartAsync(options));
    }

    [Fact]
    public void The_binaries_of_this_machine_are_found()
    {
        var binaries = PostgresBinaries.Locate(null);
        Assert.True(File.Exists(binaries.PgCtl));
        Assert.True(binaries.MajorVersion >= 13);
    }

    public void Dispose()
    {
        EmbeddedPostgresCluster.StopRunningServerAsync(Kept()).GetAwaiter().GetResult();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
