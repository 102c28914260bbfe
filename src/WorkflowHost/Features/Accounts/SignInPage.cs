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

        pages.MapPost("/login", async ([FromForm] SignInForm form, HttpContext context, IAntiforgery antiforgery, PasswordSignIn signIn) =>
        {
            if (string.IsNullOrWhiteSpace(form.UserName) || string.IsNullOrEmpty(form.Password))
            {
                return Render(context, antiforgery, form.ReturnUrl, "请输入用户名和密码 · Enter your user name and password.", StatusCodes.Status400BadRequest);
            }

            var (account, problem) = await signIn.CheckAsync(form.UserName, form.Password);
            if (problem is not null)
            {
                return Render(context, antiforgery, form.ReturnUrl, "登录失败 · Sign-in failed (wrong user name or password, or the account is locked).", StatusCodes.Status401Unauthorized);
            }

            await signIn.CookieSignInAsync(account!);
            return Results.LocalRedirect(IsLocal(form.ReturnUrl) ? form.ReturnUrl! : "/inbox");
        }).RequireRateLimiting(AccountsRegistration.SignInRateLimit);

        pages.MapPost("/logout", async ([FromForm] string? returnUrl, HttpContext context) =>
        {
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            return Results.LocalRedirect("/account/login");
        });
    }

    private static bool IsLocal(string? url) => !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Render(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var page = $$"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>登录 · Sign in · WorkflowHost</title>
            <style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.3rem 0}input{padding:.4rem}.error{color:#b00020}</style></head><body>
            <h1>登录 · Sign in</h1>
            {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{Html.Encode(error)}</p>")}}
            <form method="post" action="/account/login">
              <input type="hidden" name="{{Html.Encode(tokens.FormFieldName)}}" value="{{Html.Encode(tokens.RequestToken ?? "")}}">
              <input type="hidden" name="returnUrl" value="{{Html.Encode(IsLocal(returnUrl) ? returnUrl! : "/")}}">
              <label for="userName">用户名 · User name</label><input id="userName" name="userName" autocomplete="username" required>
              <label for="password">密码 · Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
              <button type="submit">登录 · Sign in</button>
            </form></body></html>
            """;
        return Results.Content(page, "text/html; charset=utf-8", statusCode: status);
    }
}
