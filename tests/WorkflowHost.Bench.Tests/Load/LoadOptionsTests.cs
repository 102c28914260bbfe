using WorkflowHost.Bench.Load;

namespace WorkflowHost.Bench.Tests.Load;

public class LoadOptionsTests
{
    [Fact]
    public void Smoke_runs_SQLite_only_without_the_raw_rate()
    {
        var options = LoadOptions.Parse(["--smoke"]);

        Assert.True(options.Smoke);
        Assert.Equal([Target.Sqlite], options.Targets);
        Assert.False(options.MeasureRawRate);
        Assert.Equal(1, options.Rounds);
        Assert.Equal(1, options.MaxWarmUps);
    }

    [Fact]
    public void Warm_up_repeats_until_the_compiler_is_quiet_within_a_bound()
    {
        var defaults = LoadOptions.Parse([]);
        var options = LoadOptions.Parse(["--quiet-jit", "5", "--max-warmups", "4"]);

        Assert.Equal(0.05, options.QuietJitShare, 3);
        Assert.Equal(4, options.MaxWarmUps);
        Assert.True(defaults.MaxWarmUps > 1);
        Assert.InRange(defaults.QuietJitShare, 0.001, 0.10);
    }

    [Fact]
    public void Arguments_set_what_they_name()
    {
        var options = LoadOptions.Parse(["--target", "postgresql", "--pg-clients", "8", "--rounds", "3", "--variant", "secret", "--no-idempotency-keys", "--allocations"]);

        Assert.Equal([Target.PostgreSql], options.Targets);
        Assert.Equal(8, options.ClientsFor(Target.PostgreSql));
        Assert.Equal(3, options.Rounds);
        Assert.Equal([BallotVariant.Secret], options.Variants);
        Assert.False(options.IdempotencyKeys);
        Assert.True(options.MeasureAllocations);
        Assert.False(LoadOptions.Parse([]).MeasureAllocations);
    }

    [Fact]
    public void Host_postgres_settings_go_to_the_host_string_only_and_win_over_the_servers()
    {
        var options = LoadOptions.Parse(["--postgres", "Host=db;Username=u;Maximum Pool Size=50", "--host-postgres", "Maximum Pool Size=16;Minimum Pool Size=4"]);
        var database = "Host=db;Username=u;Maximum Pool Size=50;Database=wfh_load_x";

        var host = new Npgsql.NpgsqlConnectionStringBuilder(LoadRun.HostConnectionString(database, options.HostPostgresSettings));

        Assert.Equal("Host=db;Username=u;Maximum Pool Size=50", options.PostgresServer);
        Assert.Equal(16, host.MaxPoolSize);
        Assert.Equal(4, host.MinPoolSize);
        Assert.Equal("wfh_load_x", host.Database);
        Assert.Equal(database, LoadRun.HostConnectionString(database, LoadOptions.Parse([]).HostPostgresSettings));
    }

    [Fact]
    public void The_host_runs_in_Production_unless_Development_is_asked_for()
    {
        Assert.Equal(HostEnvironment.Production, LoadOptions.Parse([]).Environment);
        Assert.Equal(HostEnvironment.Production, LoadOptions.Parse(["--smoke"]).Environment);
        Assert.Equal(HostEnvironment.Development, LoadOptions.Parse(["--environment", "Development"]).Environment);
        Assert.Equal(HostEnvironment.Production, LoadOptions.Parse(["--environment", "production"]).Environment);
    }

    [Theory]
    [InlineData("--environment staging", "--environment must be production or development, not 'staging'")]
    [InlineData("--voter", "Unknown argument '--voter'")]
    [InlineData("--voters", "--voters needs a value")]
    [InlineData("--voters 0", "--voters must be a whole number above 0, not '0'")]
    [InlineData("--target mysql", "--target must be sqlite, postgresql or both, not 'mysql'")]
    public void A_wrong_argument_is_refused_with_what_is_wrong(string arguments, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadOptions.Parse(arguments.Split(' ')));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
