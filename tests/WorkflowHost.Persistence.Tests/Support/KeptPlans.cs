using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>
/// A host statement's plan as a PostgreSQL connection keeps it (decision 159): prepared with the generic plan forced, then
/// run under <c>EXPLAIN (ANALYZE, BUFFERS)</c> in a transaction rolled back, so the rows it changes stay as they were.
/// </summary>
internal static partial class KeptPlans
{
    /// <summary>Prepares the host's text as <paramref name="name"/>, its <c>@pN</c> placeholders numbered <c>$N+1</c>.</summary>
    public static async Task PrepareGenericAsync(NpgsqlConnection connection, string name, string hostSql)
    {
        var positional = Placeholder().Replace(hostSql, m => "$" + (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1));
        await ExecuteAsync(connection, "SET plan_cache_mode = force_generic_plan");
        await ExecuteAsync(connection, $"PREPARE {name} AS {positional}");
    }

    /// <summary>The plan of <c>EXECUTE name(arguments)</c>, actually run, then rolled back.</summary>
    public static async Task<string> ExplainAsync(NpgsqlConnection connection, string name, string arguments)
    {
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            $"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE {name}({arguments})", connection, transaction);
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                lines.Add(reader.GetString(0));
            }
        }

        await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        return string.Join("\n", lines);
    }

    /// <summary>Each node's shared buffers, top node first (the statement's own), as the plan lists them.</summary>
    public static IReadOnlyList<int> SharedHits(string plan) =>
        SharedHit().Matches(plan).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    /// <summary>A text as an SQL literal.</summary>
    public static string Quoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    [GeneratedRegex(@"@p(\d+)")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"Buffers: shared hit=(\d+)")]
    private static partial Regex SharedHit();
}
