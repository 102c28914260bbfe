using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Pages;

/// <summary>The page a newcomer sees after <c>dotnet run</c>, signed in or not: what is loaded, what is running.</summary>
[AllowAnonymous]
public sealed class IndexModel(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog) : PageModel
{
    public IReadOnlyList<Community> Communities { get; private set; } = [];

    public int People { get; private set; }

    public int Units { get; private set; }

    public int OpenItems { get; private set; }

    public IReadOnlyList<(string Status, int Count)> InstancesByStatus { get; private set; } = [];

    public IEnumerable<WorkflowDefinition> Processes => catalog.Published;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Communities = await db.Communities.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken);
        People = await db.People.CountAsync(cancellationToken);
        Units = await db.Units.CountAsync(cancellationToken);
        var byStatus = await db.Instances.GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        InstancesByStatus = [.. byStatus.OrderBy(s => s.Key).Select(s => (s.Key, s.Count))];
        OpenItems = await db.WorkItems.CountAsync(w => w.Status == WorkItemStatus.Open, cancellationToken);
    }
}
