using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace WorkflowHost.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of the test's own (initdb in a temporary folder, its own port), so the test may stop and start
/// it without touching the shared server others use. As root (how these machines run) the server runs as the
/// <c>postgres</c> user, since PostgreSQL refuses to run as root. Without PostgreSQL's server programs the test is
/// skipped with the reason, unless <c>WORKFLOWHOST_REQUIRE_POSTGRES=1</c> (CI), where it fails.
/// </summary>
public sealed class PrivatePostgreSqlCluster : IAsyncDisposable
{
    private const string Role = "workflowhost";

    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _asPostgresUser;

    private PrivatePostgreSqlCluster(string bin, string folder, bool asPostgresUser, int port)
    {
        _bin = bin;
        _folder = folder;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_folder, "data");

    public static async Task<PrivatePostgreSqlCluster> StartAsync()
    {
        var bin = FindServerPrograms();
        if (bin is null)
        {
            const string reason = "PostgreSQL's server programs (initdb, pg_ctl) are not installed (looked under /usr/lib/postgresql/*/bin); install postgresql-15 to run this test.";
            if (Environment.GetEnvironmentVariable("WORKFLOWHOST_REQUIRE_POSTGRES") == "1")
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        var asPostgresUser = Environment.UserName == "root";
        var folder = Directory.CreateTempSubdirectory("workflowhost-pgcluster-").FullName;
        if (asPostgresUser)
        {
            await ExecuteAsync("chown", ["postgres:postgres", folder]);
        }

        var cluster = new PrivatePostgreSqlCluster(bin, folder, asPostgresUser, FreePort());
        // Trust on loopback: the cluster lives minutes in a private folder; fsync off because nothing here must survive a power cut.
        await cluster.RunAsync("initdb", ["-D", cluster.DataDirectory, "-U", Role, "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
        await cluster.StartServerAsync();
        return cluster;
    }

    /// <summary>A connection string for a new database on this cluster; short connect timeout so an outage shows quickly.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Role, Database = database, Timeout = 3, MaxPoolSize = 50 }.ConnectionString;

    /// <summary>Starts the server (again) on the same port and data; returns once it accepts connections.</summary>
    public Task StartServerAsync() =>
        RunAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start"]);

    /// <summary>
    /// Stops the server the way an administrator's restart does ("fast": open transactions are rolled back, sessions
    /// cut); returns once it is down.
    /// </summary>
    public Task StopServerAsync() => RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temporary folder later.
        }
    }

    private Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_bin, program);
        return _asPostgresUser ? ExecuteAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : ExecuteAsync(path, arguments);
    }

    private static async Task ExecuteAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output} {await errors}");
        }
    }

    private static string? FindServerPrograms()
    {
        const string root = "/usr/lib/postgresql";
        return Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
