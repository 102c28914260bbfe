using System.Globalization;

namespace WorkflowHost.Bench.Load;

/// <summary>Which databases to run against.</summary>
public enum Target
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// What one run does. <see cref="Smoke"/> is the reduced mode CI uses: SQLite only, one short round per variant, no raw
/// rate; it checks the results and measures nothing worth keeping.
/// </summary>
public sealed record LoadOptions
{
    public const string DefaultPostgresServer = "Host=127.0.0.1;Port=5432;Username=workflowhost;Password=workflowhost";

    public IReadOnlyList<Target> Targets { get; init; } = [Target.Sqlite, Target.PostgreSql];

    /// <summary>Concurrent voters on SQLite (and the raw SQLite clients); PostgreSQL uses <see cref="PostgreSqlClients"/>.</summary>
    public int SqliteVoters { get; init; } = 16;

    public int PostgreSqlClients { get; init; } = 16;

    /// <summary>Consultations prepared up to the ballot for each round; each takes 13 votes.</summary>
    public int BallotsPerRound { get; init; } = 60;

    public int Rounds { get; init; } = 5;

    /// <summary>
    /// Ballots per variant voted on before the timed rounds, checked like the others. The host is measured warm: a
    /// fresh process spends its first minute compiling (tiered JIT) and that is not what a host running for days costs.
    /// </summary>
    public int WarmUpBallots { get; init; } = 20;

    /// <summary>
    /// Warm-up rounds repeat until the host's tiered compiler thread used at most this share of its CPU in one
    /// (<c>--quiet-jit PERCENT</c>), or <see cref="MaxWarmUps"/> rounds have run.
    /// </summary>
    public double QuietJitShare { get; init; } = 0.03;

    /// <summary>At most this many warm-up rounds (<c>--max-warmups N</c>); 1 keeps the single warm-up of earlier sessions.</summary>
    public int MaxWarmUps { get; init; } = 12;

    /// <summary>Open ballot, secret ballot, or both.</summary>
    public IReadOnlyList<BallotVariant> Variants { get; init; } = [BallotVariant.Open, BallotVariant.Secret];

    /// <summary>Length of each raw-rate sample; the raw figure is the median of <see cref="Rounds"/> samples.</summary>
    public TimeSpan RawSample { get; init; } = TimeSpan.FromSeconds(5);

    public bool MeasureRawRate { get; init; } = true;

    /// <summary>Send an <c>Idempotency-Key</c> with every vote, as a client that retries safely would.</summary>
    public bool IdempotencyKeys { get; init; } = true;

    /// <summary>The host's <c>WorkflowHost.dll</c>; by default the Release build under src/WorkflowHost/bin.</summary>
    public string? HostDll { get; init; }

    public string PostgresServer { get; init; } = DefaultPostgresServer;

    /// <summary>
    /// Settings added to the host's PostgreSQL connection string only (<c>--host-postgres "Maximum Pool Size=16"</c>), so a
    /// host-side setting is compared with the raw clients left as they are.
    /// </summary>
    public string? HostPostgresSettings { get; init; }

    public bool Smoke { get; init; }

    /// <summary>
    /// The host's environment. Production by default: that is the host whose cost the figures are for (no developer
    /// exception page, production logging, scope validation off, the proxy's HTTPS). Development for comparison.
    /// </summary>
    public HostEnvironment Environment { get; init; } = HostEnvironment.Production;

    /// <summary>
    /// Reads the host's allocations over each timed round (<see cref="AllocationSampler"/>): bytes per vote, and the types
    /// that took them. The sampling itself costs the host a little CPU, so CPU figures are taken without it.
    /// </summary>
    public bool MeasureAllocations { get; init; }

    /// <summary>Appends everything the host prints to this file (for profiling with more logging switched on).</summary>
    public string? HostOutputFile { get; init; }

    public static LoadOptions SmokeDefaults(string? hostDll) => new()
    {
        Targets = [Target.Sqlite], SqliteVoters = 8, BallotsPerRound = 6, Rounds = 1, WarmUpBallots = 2, MaxWarmUps = 1, MeasureRawRate = false, HostDll = hostDll, Smoke = true,
    };

    /// <summary>
    /// <c>--smoke</c>, <c>--target sqlite|postgresql|both</c>, <c>--voters N</c> (SQLite), <c>--pg-clients N</c>,
    /// <c>--ballots N</c>, <c>--rounds N</c>, <c>--warmup N</c> (ballots per variant and warm-up round), <c>--quiet-jit PERCENT</c>, <c>--max-warmups N</c>, <c>--variant open|secret|both</c>, <c>--raw-seconds N</c>, <c>--no-raw</c>,
    /// <c>--no-idempotency-keys</c>, <c>--host path/WorkflowHost.dll</c>, <c>--postgres "Host=…"</c>, <c>--host-output file</c>,
    /// <c>--host-postgres "Key=value;…"</c>, <c>--allocations</c>, <c>--environment production|development</c>.
    /// </summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "--smoke", "--target", "--voters", "--pg-clients", "--ballots", "--rounds", "--warmup", "--quiet-jit", "--max-warmups", "--variant", "--raw-seconds", "--no-raw",
            "--no-idempotency-keys", "--host", "--postgres", "--host-postgres", "--host-output", "--allocations", "--environment",
        };
        var flags = new HashSet<string>(StringComparer.Ordinal) { "--smoke", "--no-raw", "--no-idempotency-keys", "--allocations" };
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!known.Contains(name))
            {
                throw new ArgumentException($"Unknown argument '{name}'. Known: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }

            if (flags.Contains(name))
            {
                values[name] = "true";
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            values[name] = args[++i];
        }

        var postgres = values.GetValueOrDefault("--postgres") ?? System.Environment.GetEnvironmentVariable("WORKFLOWHOST_TEST_POSTGRES") ?? DefaultPostgresServer;
        var host = values.GetValueOrDefault("--host");
        var options = (values.ContainsKey("--smoke") ? SmokeDefaults(host) : new LoadOptions()) with
        {
            PostgresServer = postgres, HostDll = host, HostOutputFile = values.GetValueOrDefault("--host-output"),
            HostPostgresSettings = values.GetValueOrDefault("--host-postgres"),
        };
        if (values.TryGetValue("--target", out var target))
        {
            options = options with
            {
                Targets = target switch
                {
                    "sqlite" => [Target.Sqlite],
                    "postgresql" => [Target.PostgreSql],
                    "both" => [Target.Sqlite, Target.PostgreSql],
                    _ => throw new ArgumentException($"--target must be sqlite, postgresql or both, not '{target}'."),
                },
            };
        }

        if (values.TryGetValue("--environment", out var environment))
        {
            options = options with
            {
                Environment = environment.ToLowerInvariant() switch
                {
                    "production" => HostEnvironment.Production,
                    "development" => HostEnvironment.Development,
                    _ => throw new ArgumentException($"--environment must be production or development, not '{environment}'."),
                },
            };
        }

        if (values.TryGetValue("--variant", out var variant))
        {
            options = options with
            {
                Variants = variant switch
                {
                    "open" => [BallotVariant.Open],
                    "secret" => [BallotVariant.Secret],
                    "both" => [BallotVariant.Open, BallotVariant.Secret],
                    _ => throw new ArgumentException($"--variant must be open, secret or both, not '{variant}'."),
                },
            };
        }

        options = options with
        {
            SqliteVoters = Positive(values, "--voters", options.SqliteVoters),
            PostgreSqlClients = Positive(values, "--pg-clients", options.PostgreSqlClients),
            BallotsPerRound = Positive(values, "--ballots", options.BallotsPerRound),
            Rounds = Positive(values, "--rounds", options.Rounds),
            WarmUpBallots = Positive(values, "--warmup", options.WarmUpBallots),
            QuietJitShare = Positive(values, "--quiet-jit", (int)Math.Round(options.QuietJitShare * 100)) / 100.0,
            MaxWarmUps = Positive(values, "--max-warmups", options.MaxWarmUps),
            RawSample = TimeSpan.FromSeconds(Positive(values, "--raw-seconds", (int)options.RawSample.TotalSeconds)),
            MeasureRawRate = options.MeasureRawRate && !values.ContainsKey("--no-raw"),
            IdempotencyKeys = !values.ContainsKey("--no-idempotency-keys"),
            MeasureAllocations = values.ContainsKey("--allocations"),
        };
        return options;
    }

    public int ClientsFor(Target target) => target == Target.Sqlite ? SqliteVoters : PostgreSqlClients;

    private static int Positive(Dictionary<string, string> values, string name, int fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a whole number above 0, not '{text}'.");
    }
}

public enum BallotVariant
{
    Open,
    Secret,
}
