using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;

namespace WorkflowHost.Features.Status;

/// <summary>The page a newcomer sees after <c>dotnet run</c>: what is loaded, what is running.</summary>
internal static class StatusPage
{
    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", RenderAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> RenderAsync(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var communities = await db.Communities.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var people = await db.People.CountAsync(cancellationToken);
        var units = await db.Units.CountAsync(cancellationToken);
        var byStatus = await db.Instances.GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var openItems = await db.WorkItems.CountAsync(w => w.Status == "open", cancellationToken);

        var html = HtmlEncoder.Create(UnicodeRanges.All);
        var page = new StringBuilder("""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>WorkflowHost</title><link rel="stylesheet" href="/css/site.css"></head><body><main class="status">
            <h1>WorkflowHost · 社区大党委征求意见与审批</h1>
            """);
        foreach (var community in communities)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p>{html.Encode(community.NameZh)} · {html.Encode(community.StreetZh)} ({html.Encode(community.NameEn)})</p>");
        }

        page.Append(CultureInfo.InvariantCulture, $"<p>{units} resident units (驻区单位), {people} people · open tasks and ballots: {openItems}</p>");
        page.Append("<h2>Processes (流程)</h2><table><tr><th>id</th><th>名称</th><th>Name</th><th>revision</th></tr>");
        foreach (var definition in catalog.Published)
        {
            page.Append(CultureInfo.InvariantCulture, $"<tr><td>{html.Encode(definition.Id)}</td><td>{html.Encode(definition.Name.ZhCn ?? "")}</td><td>{html.Encode(definition.Name.En ?? "")}</td><td>{html.Encode(definition.Revision)}</td></tr>");
        }

        page.Append("</table><h2>Instances (实例)</h2><ul>");
        foreach (var status in byStatus.OrderBy(s => s.Key))
        {
            page.Append(CultureInfo.InvariantCulture, $"<li>{html.Encode(status.Key)}: {status.Count}</li>");
        }

        page.Append("</ul><p><a href=\"/api/processes\">/api/processes</a> · <a href=\"/health\">/health</a></p></main></body></html>");
        return Results.Content(page.ToString(), "text/html; charset=utf-8");
    }
}
