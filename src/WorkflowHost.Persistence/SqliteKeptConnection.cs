using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace WorkflowHost.Persistence;

/// <summary>
/// The SQLite connection every context gets (<see cref="SqliteFunctions"/> creates it). Once registered with
/// <see cref="SqliteKeptStatements.Keep"/>, the commands EF Core creates on it are <see cref="SqliteKeptCommand"/>s;
/// until then, and after the registration ends, they are Microsoft.Data.Sqlite's own.
/// </summary>
/// <remarks>
/// EF Core creates each command through <see cref="DbConnection.CreateCommand"/>, so the connection can hand out the kept
/// command itself. A command interceptor did it before (decision 161), and any command interceptor makes EF Core build
/// its diagnostic event objects for every command it creates, executes and reads (about 3 KB a vote, decision 172).
/// Microsoft.Data.Sqlite's own statements (BEGIN, SAVEPOINT, COMMIT) go through <see cref="SqliteConnection.CreateCommand"/>
/// and stay ordinary.
/// </remarks>
internal sealed class SqliteKeptConnection(string connectionString) : SqliteConnection(connectionString)
{
    /// <summary>The registration in force; set and cleared by its owner, who uses the connection one piece at a time.</summary>
    internal SqliteKeptStatements.KeptOnConnection? Kept { get; set; }

    /// <summary>The transaction Microsoft.Data.Sqlite has open on this connection, which a command must be given to run.</summary>
    internal SqliteTransaction? CurrentTransaction => Transaction;

    /// <summary>
    /// The kept writes' statements are SQLite's own (decision 176), not Microsoft.Data.Sqlite's, which it would finalize
    /// here: they are finalized first, so none is left on a connection going back to the pool.
    /// </summary>
    public override void Close()
    {
        Kept?.FinalizeWrites();
        base.Close();
    }

    protected override DbCommand CreateDbCommand() =>
        Kept is { } kept ? new SqliteKeptCommand(kept) : base.CreateDbCommand();
}
