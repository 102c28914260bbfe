using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Filters;
using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Landing;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// The landing page (decision 150). A visitor gets the product, what it does, the way to sign in and the published
/// processes, and nothing read from the database: no names, no counts, so a stranger can neither learn a community's
/// figures nor make the host count its cases. A signed-in person gets a short summary of their own community, read in
/// one query whose counts indexes bound (<see cref="CommunitySummaryReader"/>).
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(CallerResolver callers, DefinitionCatalog catalog, CommunitySummaryReader summaries) : WebPageModel
{
    private Texts? _visitorTexts;

    /// <summary>Whether someone with a person in the directory is signed in; the rest see the visitors' page.</summary>
    public bool SignedIn { get; private set; }

    /// <summary>The signed-in person's language, or a visitor's from the language switch (a cookie), Chinese by default.</summary>
    public Texts Words => SignedIn ? T : _visitorTexts ??= new Texts(Request.Cookies[WebPagesRegistration.LanguageCookie]);

    public CommunitySummary? Summary { get; private set; }

    public IEnumerable<WorkflowDefinition> Processes => catalog.Published;

    public override string Title => Words.LandingTitle;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // The signed-in pages' set-up (who, texts, open count) only for a signed-in person; a visitor has none to read.
        SignedIn = await callers.ResolveAsync(HttpContext) is not null;
        if (SignedIn)
        {
            await base.OnPageHandlerExecutionAsync(context, next);
        }
        else
        {
            await next();
        }
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (SignedIn)
        {
            Summary = await summaries.ReadAsync(Me, Now, cancellationToken);
        }
    }
}
