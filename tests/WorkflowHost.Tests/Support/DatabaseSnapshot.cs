using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;

namespace WorkflowHost.Tests.Support;

/// <summary>
/// What a refused request must not change, read in one pass: the row count of every table of the model, each instance's
/// version, status and journal head, and each account's password and security stamp. Two snapshots are equal when
/// nothing a request could have written changed. Rows that background work writes on its own schedule (delivery
/// attempts of e-mail, data-protection keys made on first use) are left out so a refused request is judged alone.
/// </summary>
public sealed record DatabaseSnapshot(string Text)
{
    private static readonly HashSet<string> BackgroundTables = new(StringComparer.OrdinalIgnoreCase) { "NotificationDeliveries", "DataProtectionKeys" };

    public static async Task<DatabaseSnapshot> TakeAsync(IServiceProvider services)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>()
            .Where(t => !BackgroundTables.Contains(t)).Distinct().Order(StringComparer.Ordinal).ToList();
        var counts = string.Join(" UNION ALL ", tables.Select(t => $"SELECT '{t}' || ':' || COUNT(*) AS \"Value\" FROM \"{t}\""));
        var lines = await db.Database.SqlQueryRaw<string>(counts).ToListAsync();
        var instances = await db.Instances.OrderBy(i => i.Id)
            .Select(i => i.Id + ":" + i.Version + ":" + i.Status + ":" + i.JournalSequence + ":" + i.JournalHead).ToListAsync();
        var accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id + ":" + a.PasswordHash + ":" + a.SecurityStamp).ToListAsync();
        return new DatabaseSnapshot(string.Join('\n', lines.Concat(instances).Concat(accounts)));
    }

    /// <summary>The lines that differ, for a failure message.</summary>
    public string Difference(DatabaseSnapshot after)
    {
        var before = Text.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = after.Text.Split('\n').ToHashSet(StringComparer.Ordinal);
        return $"before: {string.Join(", ", before.Except(now))}; after: {string.Join(", ", now.Except(before))}";
    }
}
