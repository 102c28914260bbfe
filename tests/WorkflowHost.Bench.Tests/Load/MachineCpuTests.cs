using System.Diagnostics;
using Npgsql;
using WorkflowHost.Bench.Load;

namespace WorkflowHost.Bench.Tests.Load;

/// <summary>
/// The load driver's machine-wide reading (<see cref="MachineCpu"/>): work done in this process shows in the machine's
/// busy time and the driver's, work done by the PostgreSQL server in the database's, and the budget line divides them
/// as it says.
/// </summary>
public class MachineCpuTests
{
    [Fact]
    public void Spinning_in_this_process_is_charged_to_the_driver_and_to_the_machine()
    {
        var before = MachineCpu.Read();
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 400)
        {
            Thread.SpinWait(1000);
        }

        var spent = MachineCpu.Read() - before;

        // 400 ms of spinning; a busy machine may give the thread less, never none.
        Assert.InRange(spent.Driver.TotalMilliseconds, 50, 5_000);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(spent.Busy >= spent.Driver * 0.8, $"machine busy {spent.Busy.TotalMilliseconds} ms, driver {spent.Driver.TotalMilliseconds} ms");
        }
    }

    [Fact]
    public async Task A_query_the_PostgreSQL_server_computes_is_charged_to_the_database()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The database server's CPU is read from /proc (Linux only).");
        var server = Environment.GetEnvironmentVariable("WORKFLOWHOST_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=workflowhost;Password=workflowhost";
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException && Environment.GetEnvironmentVariable("WORKFLOWHOST_REQUIRE_POSTGRES") != "1")
        {
            Assert.Skip($"PostgreSQL is not reachable ({e.Message}). Start it with `bash .ci/start-postgres.sh`, or set WORKFLOWHOST_TEST_POSTGRES.");
        }

        var before = MachineCpu.Read();
        await using (var busy = new NpgsqlCommand("SELECT count(*) FROM generate_series(1, 4000000) AS n WHERE n % 7 = 3", connection))
        {
            Assert.Equal(571429L, (long)(await busy.ExecuteScalarAsync())!);
        }

        var spent = MachineCpu.Read() - before;

        // Counting four million rows takes the server a few hundred milliseconds. (The driver's figure is not compared:
        // this process runs other tests meanwhile.)
        Assert.True(spent.Database.TotalMilliseconds >= 100, $"database {spent.Database.TotalMilliseconds} ms");
        Assert.True(spent.Busy >= spent.Database * 0.8, $"machine busy {spent.Busy.TotalMilliseconds} ms, database {spent.Database.TotalMilliseconds} ms");
    }

    [Fact]
    public void The_budget_line_divides_the_machine_among_host_database_driver_and_the_rest_and_states_the_ceiling()
    {
        var open = new VariantFigures(BallotVariant.Open, [900], 900, 13.8, 33.5, HostCpuMsPerVote: 0.8, Acknowledged: 1000, LateVotes: 0)
        {
            DatabaseCpuMsPerVote = 0.6,
            DriverCpuMsPerVote = 0.3,
            MachineCpuMsPerVote = 2.0,
        };
        var report = new TargetReport(Target.PostgreSql, 16, [open], [3600], 3600, 0.2, 10, 1000, 1000, 10, 10, []);

        var line = Assert.Single(LoadRun.CpuBudget([report], cores: 2));

        Assert.Equal(
            "PostgreSql open: machine CPU per vote 2.00 ms = host 0.80 + database server 0.60 + driver 0.30 + the rest 0.30; 2 cores busy serve at most 1000 votes/s = 0.28 of the raw rate",
            line);
    }
}
