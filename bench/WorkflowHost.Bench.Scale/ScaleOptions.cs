using WorkflowHost.Persistence;

namespace WorkflowHost.Bench.Scale;

internal sealed record ScaleOptions(DatabaseProvider Provider, int Instances, string? HostDll, string PostgresServer, int Samples, string? Reuse)
{
    public static ScaleOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var provider = (Value("--provider") ?? "sqlite").Equals("postgresql", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;
        return new ScaleOptions(
            provider,
            int.Parse(Value("--instances") ?? "10000", System.Globalization.CultureInfo.InvariantCulture),
            Value("--host"),
            Value("--postgres") ?? Environment.GetEnvironmentVariable("WORKFLOWHOST_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=workflowhost;Password=workflowhost",
            int.Parse(Value("--samples") ?? "300", System.Globalization.CultureInfo.InvariantCulture),
            Value("--reuse"));
    }
}
