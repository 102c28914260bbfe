using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// Cookie sign-in for the web pages: a server-rendered form. Its posts are form posts, so ASP.NET Core's antiforgery
/// middleware checks the hidden token on each; a cross-site form cannot sign anyone in or out.
/// </summary>
internal static class SignInPage
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public sealed class SignInForm
    {
        public string? UserName { get; set; }

        public string? Password { get; set; }

        public string? ReturnUrl { get; set; }
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("/account").ExcludeFromDescription();
        pages.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Render(context, antiforgery, returnUrl, error: null, StatusCodes.Status200OK));

        pages.MapPost("/login", async ([FromForm] SignInForm? form, HttpContext context, IAntiforgery antiforgery, PasswordSignIn signIn) =>
        {
            // Anything but a posted form (JSON, text, a broken multipart body) binds no form at all: the client's mistake.
            if (!context.Request.HasFormContentType || form is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                    detail: "The sign-in form is posted as application/x-www-form-urlencoded; API clients use POST /api/account/token.");
            }

            if (string.IsNullOrWhiteSpace(form.UserName) || string.IsNullOrEmpty(form.Password))
            {
                return Render(context, antiforgery, form.ReturnUrl, Texts(context).EnterUserAndPassword, StatusCodes.Status400BadRequest);
            }

            var (account, problem) = await signIn.CheckAsync(form.UserName, form.Password);
            if (problem is not null)
            {
                return Render(context, antiforgery, form.ReturnUrl, Texts(context).SignInFailed, StatusCodes.Status401Unauthorized);
            }

            await signIn.CookieSignInAsync(account!);
            return Results.LocalRedirect(LocalReturnUrl.OrInbox(form.ReturnUrl));
        }).RequireRateLimiting(AccountsRegistration.SignInRateLimit);

        pages.MapPost("/logout", async ([FromForm] string? returnUrl, HttpContext context, AccountSessions sessions, SecurityEvents events) =>
        {
            await Logout.EndAsync(context, sessions, events);
            return Results.LocalRedirect("/account/login");
        });
    }

    /// <summary>Before sign-in the language is the one chosen with the switch (a cookie), Chinese by default.</summary>
    private static WorkflowHost.Web.Texts Texts(HttpContext context) => new(context.Request.Cookies[WorkflowHost.Web.WebPagesRegistration.LanguageCookie]);

    private static IResult Render(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var t = Texts(context);
        var page = $$"""
            <!doctype html><html lang="{{t.Language}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Html.Encode(t.SignIn)}} · {{Html.Encode(t.AppName)}}</title>
            <link rel="stylesheet" href="/css/site.css"></head><body>
            <main class="signin" id="main">
            <h1>{{Html.Encode(t.SignIn)}}</h1>
            <p>{{Html.Encode(t.AppName)}}</p>
            {{(error is null ? "" : $"<p class=\"alert\" role=\"alert\">{Html.Encode(error)}</p>")}}
            <form method="post" action="/account/login">
              <input type="hidden" name="{{Html.Encode(tokens.FormFieldName)}}" value="{{Html.Encode(tokens.RequestToken ?? "")}}">
              <input type="hidden" name="returnUrl" value="{{Html.Encode(LocalReturnUrl.OrInbox(returnUrl))}}">
              <label for="userName">{{Html.Encode(t.UserName)}}</label><input type="text" id="userName" name="userName" autocomplete="username" required>
              <label for="password">{{Html.Encode(t.Password)}}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
              <p><button type="submit">{{Html.Encode(t.SignIn)}}</button></p>
            </form>
            <form method="post" action="/language">
              <input type="hidden" name="{{Html.Encode(tokens.FormFieldName)}}" value="{{Html.Encode(tokens.RequestToken ?? "")}}">
              <input type="hidden" name="language" value="{{t.OtherLanguage}}">
              <input type="hidden" name="returnUrl" value="/account/login">
              <button type="submit" class="link" lang="{{t.OtherLanguage}}" aria-label="{{Html.Encode(t.SwitchLanguageLabel)}}">{{Html.Encode(t.SwitchLanguage)}}</button>
            </form></main></body></html>
            """;
        return Results.Content(page, "text/html; charset=utf-8", statusCode: status);
    }
}
