using System.Net;
using FluentValidation;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace WorkflowHost.Configuration;

/// <summary>
/// Settings of the <c>ForwardedHeaders</c> section: the reverse proxies (nginx terminating TLS, docs/operations.md) whose
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the host believes. Empty by default: then every request is taken
/// as it arrives, and a client cannot claim another address or HTTPS by sending the headers itself.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the proxies, e.g. <c>127.0.0.1</c> for nginx on the same machine.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies in CIDR notation, e.g. <c>10.0.8.0/24</c> for a load balancer pool.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row to believe: 1 for one nginx in front (its own entry is the last of X-Forwarded-For).</summary>
    public int ForwardLimit { get; set; } = 1;
}

internal sealed class ForwardedHeadersSettingsValidator : AbstractValidator<ForwardedHeadersSettings>
{
    public ForwardedHeadersSettingsValidator()
    {
        RuleForEach(s => s.KnownProxies).Must(p => IPAddress.TryParse(p, out _))
            .WithMessage("'{PropertyValue}' is not an IP address (a proxy is named by its address, e.g. 127.0.0.1).");
        RuleForEach(s => s.KnownNetworks).Must(n => System.Net.IPNetwork.TryParse(n, out _))
            .WithMessage("'{PropertyValue}' is not a network in CIDR notation (e.g. 10.0.8.0/24).");
        RuleFor(s => s.ForwardLimit).InclusiveBetween(1, 10);
    }
}

/// <summary>
/// Transport protections (docs/reliability.md, "Transport"; docs/decisions/0085): forwarded headers from the configured
/// proxies only, so the client's own address (the sign-in rate limiter's key) and scheme are seen behind TLS; outside
/// Development HSTS, HTTPS redirection and the <c>Secure</c> flag on every cookie; on every response a
/// Content-Security-Policy, <c>X-Content-Type-Options</c> and <c>Referrer-Policy</c>, and <c>Cache-Control: no-store</c>
/// on everything but the style sheet and script (pages and API answers carry personal data).
/// </summary>
internal static class Transport
{
    /// <summary>The pages' policy: everything from the site itself, no inline script or style, never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>
    /// Pages that are not ours and need inline styles: the Hangfire dashboard (style attributes) and, in Development only,
    /// the Scalar page (an inline module script that starts it, styles injected at run time).
    /// </summary>
    public const string ThirdPartyPagePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'";

    public const string HangfirePolicy =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplicationBuilder AddTransport(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ForwardedHeadersSettings, ForwardedHeadersSettingsValidator>(ForwardedHeadersSettings.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
        {
            // X-Forwarded-Host is not taken: nginx passes the Host header itself (proxy_set_header Host $host).
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = settings.Value.ForwardLimit;
            // The framework trusts loopback by default; here only what is configured.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        var development = builder.Environment.IsDevelopment();
        // Development runs on http://localhost, where a Secure cookie would never come back.
        services.Configure<CookiePolicyOptions>(cookies => cookies.Secure = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = false; // other hosts of the organisation's domain are not ours to bind to HTTPS
        });
        return builder;
    }

    /// <summary>First in the pipeline, so everything after it (the rate limiter, the logs, the cookies) sees the real client.</summary>
    public static WebApplication UseTransport(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            // A health probe (a load balancer, a container runtime) asks over plain HTTP on the host's own port.
            app.UseWhen(http => !http.Request.Path.StartsWithSegments("/health"), branch => branch.UseHttpsRedirection());
        }

        app.UseCookiePolicy();
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                SetHeaders(http);
                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }

    private static void SetHeaders(HttpContext http)
    {
        var headers = http.Response.Headers;
        var path = http.Request.Path;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = path.StartsWithSegments("/hangfire") ? HangfirePolicy
            : path.StartsWithSegments("/scalar") ? ThirdPartyPagePolicy
            : Features.Attachments.DownloadAttachment.IsDownload(path) ? Features.Attachments.DownloadAttachment.SandboxPolicy
            : ContentSecurityPolicy;
        if (!IsStaticAsset(path) && !headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.CacheControl))
        {
            headers.CacheControl = "no-store";
        }
    }

    private static bool IsStaticAsset(PathString path) => path.StartsWithSegments("/css") || path.StartsWithSegments("/js")
        || (path.StartsWithSegments("/scalar") && Path.HasExtension(path.Value));
}
