using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowHost.Api;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Web;

/// <summary>What every signed-in page has: who is signed in, their texts, their time zone and the count of open work for the header.</summary>
public abstract class WebPageModel : PageModel
{
    public Caller Me { get; private set; } = null!;

    public Texts T { get; private set; } = new(Texts.Chinese);

    public int OpenCount { get; private set; }

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public DateTimeOffset Now { get; private set; }

    public abstract string Title { get; }

    public string Time(DateTimeOffset time) => T.FormatTime(time, Zone);

    public bool HasRole(string role) => Me.Has(role);

    /// <summary>
    /// This page again, with the refusal it shows, answering <paramref name="status"/>: the API's status for the same
    /// refusal (400 for a form its validator refuses, 403 not the reader's to do, 404 not there, 409 moved on), so a
    /// refused form is never read as a success by a browser, a script or a test.
    /// </summary>
    protected PageResult RefusedPage(int status)
    {
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>A case's result in the words of its process's published definition (the catalog holds them in memory).</summary>
    public string ResultOf(string process, string? result) =>
        T.ResultOf(result, HttpContext.RequestServices.GetRequiredService<DefinitionCatalog>().Current(process));

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var services = HttpContext.RequestServices;
        Me = await services.GetRequiredService<CallerResolver>().ResolveAsync(HttpContext) ?? throw new UnknownCallerException();
        T = new Texts(Me.Language);
        Zone = services.GetRequiredService<IWorkingCalendar>().TimeZone;
        Now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        OpenCount = await services.GetRequiredService<WorkflowQueries>().OpenWorkCountAsync(Me.AsWorkHolder(), HttpContext.RequestAborted);
        await next();
    }
}
