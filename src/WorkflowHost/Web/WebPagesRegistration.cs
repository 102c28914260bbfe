using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.WebEncoders;
using WorkflowHost.Api;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;

namespace WorkflowHost.Web;

/// <summary>
/// The web pages: server-rendered Razor Pages under <c>Pages/</c>, every text through <see cref="Texts"/>, the style
/// sheet from <c>wwwroot/</c> (embedded in the assembly, so it is served wherever the host runs from; no CDN).
/// The pages read and act through the same services as the API (<see cref="InstanceReader"/>, <see cref="StepCommands"/>…).
/// </summary>
internal static class WebPagesRegistration
{
    public const string LanguageCookie = "workflowhost.lang";

    public static WebApplicationBuilder AddWebPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/", AccountsRegistration.SignedIn);
        }).AddMvcOptions(mvc => mvc.Filters.Add<HandlerRequiredFilter>());
        // Chinese is written as characters, not as &#x...; entities.
        builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return builder;
    }

    public static WebApplication MapWebPages(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/css/site.css", () => Results.Text(StyleSheet.Value, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/js/print.js", () => Results.Text(PrintScript.Value, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/js/upload.js", () => Results.Text(UploadScript.Value, "text/javascript; charset=utf-8")).ExcludeFromDescription();

        // The pages link files here: the same file, visibility and headers as GET /api/attachments/{id}.
        app.MapGet(Features.Attachments.DownloadAttachment.PagePath + "/{id:guid}", Features.Attachments.DownloadAttachment.HandleAsync)
            .RequireAuthorization(AccountsRegistration.SignedIn).ExcludeFromDescription();
        app.MapPost("/language", async ([FromForm] string? language, [FromForm] string? returnUrl, HttpContext http, CallerResolver callers,
            IDbContextFactory<WorkflowDbContext> contexts) =>
        {
            var chosen = Texts.Normalise(language);
            http.Response.Cookies.Append(LanguageCookie, chosen, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
            if (await callers.ResolveAsync(http) is { } caller)
            {
                await using var db = await contexts.CreateDbContextAsync(http.RequestAborted);
                var person = await db.People.FirstAsync(p => p.Id == caller.PersonId, http.RequestAborted);
                person.Language = chosen;
                await db.SaveChangesAsync(http.RequestAborted);
            }

            return Results.LocalRedirect(LocalReturnUrl.OrInbox(returnUrl));
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>The signed-in person's language, else the cookie's, else Chinese.</summary>
    public static async Task<Texts> TextsForAsync(HttpContext http)
    {
        var caller = await http.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(http);
        return new Texts(caller?.Language ?? http.Request.Cookies[LanguageCookie] ?? Texts.Chinese);
    }

    public static bool IsLocal(string? url) => LocalReturnUrl.IsLocal(url);

    private static readonly Lazy<string> StyleSheet = new(() => Resource("WorkflowHost.wwwroot.css.site.css"));

    private static readonly Lazy<string> PrintScript = new(() => Resource("WorkflowHost.wwwroot.js.print.js"));

    private static readonly Lazy<string> UploadScript = new(() => Resource("WorkflowHost.wwwroot.js.upload.js"));

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
