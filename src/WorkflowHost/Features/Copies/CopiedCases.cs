using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Copies;

/// <summary>A case the caller was copied on (抄送): what it is, where it stands, who copied them and when.</summary>
public sealed record CopiedCase(
    Guid InstanceId, string Process, LocalizedText? ProcessName, string Status, string? Result, UnitRef? Unit,
    PersonRef CopiedBy, DateTimeOffset CopiedAt, string Instance);

public sealed record CopiedCasesPage(IReadOnlyList<CopiedCase> Items, int Page, int PageSize, int Total);

/// <summary>
/// "Copied to me": the caller's copies, newest first. Each case still passes the one visibility rule (Access.cs), which
/// the copy itself satisfies; nothing here grants access of its own.
/// </summary>
public sealed class CopiedCases(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog)
{
    public async Task<CopiedCasesPage> ForAsync(Caller caller, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var me = caller.PersonId;
        var copied = StoredName.Of(CaseReaderReason.Copied);
        var english = LocalizedText.IsEnglish(caller.Language);
        var query = db.CaseReaders.AsNoTracking()
            .Where(r => r.PersonId == me && r.Reason == copied)
            .Join(db.Instances.AsNoTracking().VisibleTo(db, caller), r => r.InstanceId, i => i.Id, (r, i) => new { Reader = r, Instance = i });
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(x => x.Reader.AddedAt).ThenBy(x => x.Instance.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(x => new
            {
                x.Instance.Id, x.Instance.DefinitionId, x.Instance.Status, x.Instance.Result, x.Instance.UnitId, x.Reader.AddedBy, x.Reader.AddedAt,
                UnitName = db.Units.Where(u => u.Id == x.Instance.UnitId).Select(u => english ? u.NameEn : u.NameZh).FirstOrDefault(),
                ByName = db.People.Where(p => p.Id == x.Reader.AddedBy).Select(p => english ? p.NameEn : p.NameZh).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var items = rows.Select(r => new CopiedCase(
            r.Id, r.DefinitionId, catalog.Current(r.DefinitionId)?.Name, r.Status, r.Result,
            r.UnitId is null ? null : new UnitRef(r.UnitId, r.UnitName), new PersonRef(r.AddedBy, r.ByName), r.AddedAt,
            $"/api/instances/{r.Id}")).ToList();
        return new CopiedCasesPage(items, page, pageSize, total);
    }
}
