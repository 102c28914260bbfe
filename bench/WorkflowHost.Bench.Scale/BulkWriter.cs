using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using WorkflowHost.Persistence;

namespace WorkflowHost.Bench.Scale;

/// <summary>
/// Writes entities straight through the database driver, bypassing change tracking: one prepared INSERT per table in
/// one transaction on SQLite, binary COPY on PostgreSQL. Table names, column names and value conversions come from the
/// EF model of the context it is given (for SQLite that includes the ticks converter for times), so the rows are the
/// ones EF itself would have written and the host reads them as its own.
/// </summary>
internal sealed class BulkWriter(WorkflowDbContext db)
{
    private readonly bool _postgres = db.Database.IsNpgsql();

    public async Task WriteAsync(params IReadOnlyList<object>[] tables)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        if (_postgres)
        {
            foreach (var rows in tables.Where(t => t.Count > 0))
            {
                await CopyAsync((NpgsqlConnection)connection, rows);
            }

            return;
        }

        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var rows in tables.Where(t => t.Count > 0))
        {
            await InsertAsync((SqliteConnection)connection, (SqliteTransaction)transaction, rows);
        }

        await transaction.CommitAsync();
    }

    /// <summary>
    /// Drops the secondary indexes of the given tables and returns the statements that create them again, exactly as
    /// the migrations made them (read back from the catalog). Building an index once at the end is much faster than
    /// keeping it up to date row by row. Primary keys stay: the rows' foreign keys are checked against them.
    /// </summary>
    public async Task<IReadOnlyList<string>> DropSecondaryIndexesAsync(params Type[] entityTypes)
    {
        var tables = entityTypes.Select(t => db.Model.FindEntityType(t)!.GetTableName()!).ToList();
        var list = string.Join(", ", tables.Select(t => $"'{t}'"));
        var sql = _postgres
            ? $"SELECT indexname AS \"Name\", indexdef AS \"Definition\" FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({list}) AND indexname NOT LIKE 'PK\\_%'"
            : $"SELECT name AS \"Name\", sql AS \"Definition\" FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({list})";
        var indexes = await db.Database.SqlQueryRaw<IndexDefinition>(sql).ToListAsync();
        foreach (var index in indexes)
        {
            var drop = $"DROP INDEX \"{index.Name}\""; // the name comes from the catalog, not from input
            await db.Database.ExecuteSqlRawAsync(drop);
        }

        return [.. indexes.Select(i => i.Definition)];
    }

    public async Task CreateIndexesAsync(IReadOnlyList<string> definitions)
    {
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        foreach (var definition in definitions)
        {
            await db.Database.ExecuteSqlRawAsync(definition);
        }

        // PostgreSQL's autovacuum keeps statistics current on a database that grew over time; a bulk load has to ask for
        // them. SQLite gathers none unless told, and the host never tells it, so neither does this.
        if (_postgres)
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
        }
    }

    private IReadOnlyList<Column> ColumnsOf(Type type, out string table)
    {
        var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
        table = entity.GetTableName()!;
        var identifier = StoreObjectIdentifier.Table(table, entity.GetSchema());
        return [.. entity.GetProperties().Select(p => new Column(p, p.GetColumnName(identifier)!, (RelationalTypeMapping)p.GetRelationalTypeMapping()))];
    }

    private async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<object> rows)
    {
        var columns = ColumnsOf(rows[0].GetType(), out var table);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";

        // The type mapping configures each parameter as EF does (text GUIDs, ticks for times); only the value changes per row.
        var parameters = columns.Select((c, i) => c.Mapping.CreateParameter(command, $"$p{i}", null, c.Property.IsNullable)).ToArray();
        command.Parameters.AddRange(parameters);
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = columns[i].ProviderValue(row) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<object> rows)
    {
        var columns = ColumnsOf(rows[0].GetType(), out var table);
        var types = columns.Select(c => BaseTypeName(c.Property.GetColumnType())).ToArray();
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            for (var i = 0; i < columns.Count; i++)
            {
                var value = columns[i].ProviderValue(row);
                if (value is null)
                {
                    await importer.WriteNullAsync();
                }
                else
                {
                    await importer.WriteAsync(value, types[i]);
                }
            }
        }

        await importer.CompleteAsync();
    }

    /// <summary><c>character varying(64)</c> → <c>character varying</c>: COPY needs the type, not its length.</summary>
    private static string BaseTypeName(string columnType)
    {
        var paren = columnType.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? columnType : columnType[..paren].TrimEnd();
    }

    private sealed record IndexDefinition(string Name, string Definition);

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping)
    {
        private readonly Func<object, object?> _read = Property.GetGetter().GetClrValueUsingContainingEntity;

        public object? ProviderValue(object row)
        {
            var value = _read(row);
            return value is null || Mapping.Converter is null ? value : Mapping.Converter.ConvertToProvider(value);
        }
    }
}
