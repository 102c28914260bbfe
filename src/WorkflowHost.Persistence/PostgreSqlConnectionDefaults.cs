using System.Data.Common;
using Npgsql;

namespace WorkflowHost.Persistence;

/// <summary>
/// What the host adds to the operator's PostgreSQL connection string for its own contexts (decision 159): statements
/// prepared automatically on each physical connection, and no session reset when a connection goes back to the pool.
/// A setting the operator wrote in the string is kept as written, whatever its value.
/// </summary>
public static class PostgreSqlConnectionDefaults
{
    /// <summary>
    /// Statements each physical connection keeps prepared, the most used first (Npgsql evicts the least recently used).
    /// A vote needs three and the pages a few dozen; the server keeps a plan per statement per connection.
    /// </summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>
    /// Npgsql resets a pooled connection's session on its next use, a batch of seven statements the server parses and
    /// runs every time (DISCARD ALL, or its parts when statements are prepared). Nothing in the host leaves state on a
    /// session (no SET, temporary table, LISTEN or advisory lock; an open transaction is rolled back regardless).
    /// </summary>
    public const bool NoResetOnClose = true;

    public static string Apply(string connectionString)
    {
        var written = WrittenKeywords(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!written.Contains("NORESETONCLOSE"))
        {
            builder.NoResetOnClose = NoResetOnClose;
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
