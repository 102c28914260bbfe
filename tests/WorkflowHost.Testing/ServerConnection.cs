using System.Net.Sockets;
using Npgsql;

namespace WorkflowHost.Testing;

/// <summary>
/// A connection to the test server's <c>postgres</c> database, where test databases are created and dropped. On a
/// loaded machine (load average 60 to 90 was seen in CI) the server can take longer than a short connect timeout to
/// answer, or briefly refuse new sessions (too many connections): those are retried a few times with a pause. A server
/// that is not listening at all is not retried, so a machine without PostgreSQL skips its tests at once.
/// </summary>
public static class ServerConnection
{
    /// <summary>Seconds Npgsql waits for one connection attempt (its default is 15; 5 was too short under load).</summary>
    public const int ConnectTimeoutSeconds = 30;

    public const int Attempts = 3;

    public static async Task<NpgsqlConnection> OpenAsync(string server, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Timeout = ConnectTimeoutSeconds };
        for (var attempt = 1; ; attempt++)
        {
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                return connection;
            }
            catch (Exception e) when (IsPassing(e))
            {
                await connection.DisposeAsync();
                if (attempt == Attempts)
                {
                    throw new PostgreSqlUnreachableException(
                        $"PostgreSQL at {builder.Host}:{builder.Port} did not accept a connection in {Attempts} attempts of up to {ConnectTimeoutSeconds} s each; the last failed with {e.GetType().Name}: {e.Message}", e);
                }

                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    /// <summary>A failure that a busy server gives and that may pass: a timeout, a dropped socket, a refusal of new sessions.</summary>
    private static bool IsPassing(Exception e) => e switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.CannotConnectNow,
        _ when Refused(e) => false, // nothing listens: no amount of waiting helps
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException or SocketException => true,
        _ => false,
    };

    private static bool Refused(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Every attempt to reach the test server failed; the message names the server, the attempts and the last cause.</summary>
public sealed class PostgreSqlUnreachableException(string message, Exception inner) : Exception(message, inner);
