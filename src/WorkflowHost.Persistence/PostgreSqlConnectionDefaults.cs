using System.Data.Common;
using Npgsql;

namespace WorkflowHost.Persistence;

/// <summary>
/// What the host adds to the operator's PostgreSQL connection string for its own contexts (decision 159): the
/// statements it repeats are prepared on each physical connection, so the server parses and plans them once per
/// connection instead of on every execution. A value the operator wrote in the string is kept as written.
/// </summary>
/// <remarks>
/// Npgsql's session reset on a pooled connection's next use stays on: skipping it (No Reset On Close) saved too little
/// to measure here, and would let any session state a later change leaves behind reach the next request.
/// </remarks>
public static class PostgreSqlConnectionDefaults
{
    /// <summary>
    /// Statements each physical connection keeps prepared, the most used (Npgsql evicts the least recently used one).
    /// A vote needs three and the pages a few dozen; the server keeps a plan per statement per connection.
    /// </summary>
    public const int MaxAutoPrepare = 64;

    public static string Apply(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!WrittenKeywords(connectionString).Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// The keywords the string itself sets, spaces removed, in capitals: Npgsql takes "Max Auto Prepare" and
    /// "MaxAutoPrepare" alike, and its own builder reports every keyword it knows as present.
    /// </summary>
    private static HashSet<string> WrittenKeywords(string connectionString)
    {
        var plain = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return plain.Keys.Cast<string>().Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
    }
}
