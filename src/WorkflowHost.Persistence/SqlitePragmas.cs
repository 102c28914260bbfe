using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WorkflowHost.Persistence;

/// <summary>
/// Durability first: WAL so readers never block the writer, synchronous=FULL so a committed step survives a power
/// cut, and a busy timeout so concurrent writers queue instead of failing. A read-only connection (EF opens one to
/// ask whether the file exists) only gets the settings that write nothing: switching a restored rollback-journal
/// file to WAL there would fail with "attempt to write a readonly database".
/// </summary>
/// <remarks>
/// The settings belong to the native connection, and Microsoft.Data.Sqlite pools native connections: an open from the
/// pool hands back one that already has them. So they are sent once per native connection (its handle), not on every
/// open; every request opens at least two connections, and the four statements were parsed each time (issue 18).
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    /// <summary>Every writing connection's synchronous setting; the checkpointer's own connection takes it too.</summary>
    public const string Synchronous = "FULL";

    /// <summary>How long a connection waits for a lock, in milliseconds.</summary>
    public const string BusyTimeout = "30000";

    private const string Pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={Synchronous}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={BusyTimeout};";
    private const string ReadOnlyPragmas = $"PRAGMA foreign_keys=ON; PRAGMA busy_timeout={BusyTimeout};";

    // Weak, so a native connection the pool closes takes its entry with it.
    private readonly ConditionalWeakTable<object, object> _prepared = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NativeHandleToPrepare(connection) is not { } handle)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = For(connection);
        command.ExecuteNonQuery();
        _prepared.AddOrUpdate(handle, handle);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NativeHandleToPrepare(connection) is not { } handle)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = For(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        _prepared.AddOrUpdate(handle, handle);
    }

    /// <summary>The native connection behind this open, unless it already has the settings.</summary>
    private object? NativeHandleToPrepare(DbConnection connection)
    {
        // Anything but a SqliteConnection with a handle (never expected) gets the settings every time, as before.
        object handle = (connection as SqliteConnection)?.Handle is { } native ? native : new object();
        return _prepared.TryGetValue(handle, out _) ? null : handle;
    }

    private static string For(DbConnection connection) =>
        new SqliteConnectionStringBuilder(connection.ConnectionString).Mode == SqliteOpenMode.ReadOnly ? ReadOnlyPragmas : Pragmas;
}
