using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace WorkflowHost.Api;

/// <summary>
/// What the OpenAPI document says beyond the endpoints' own metadata, set here once for every operation rather than in
/// each endpoint file (docs/decisions/0086):
/// <list type="bullet">
/// <item>how to sign in: the <c>Bearer</c> scheme and the <c>Cookie</c> of the web pages; every operation that needs a
/// signed-in person requires one of the two, and every anonymous one (marked <c>AllowAnonymous</c>) says
/// <c>security: []</c>. An endpoint not marked anonymous is taken to need sign-in, as the API's rule is;</item>
/// <item>an <c>operationId</c> for every operation: the endpoint's name where it has one, else the method and the path
/// (<c>POST /api/account/token</c> is <c>PostAccountToken</c>);</item>
/// <item>enums (camelCase strings in JSON) have <c>type: string</c>;</item>
/// <item>the title, the description, the tags' descriptions and server addresses without a trailing slash.</item>
/// </list>
/// Redocly's recommended lint and a client generated with NSwag check the result (tests/WorkflowHost.Tests/Api).
/// </summary>
internal static class OpenApiContract
{
    public const string BearerScheme = "Bearer";
    public const string CookieScheme = "Cookie";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Account"] = "Sign in (a bearer token), refresh it, who am I, the antiforgery token of cookie sessions, change the password.",
        ["Administration"] = "For administrators: deliveries that gave up.",
        ["Ballots"] = "Vote, recuse, and the votes cast at a meeting.",
        ["Collections"] = "Pledges and sign-ups on an open collection window.",
        ["Directory"] = "A community's units, people, roles and committee terms: read by whoever oversees it, changed by its administrator, every change journaled.",
        ["Inbox"] = "Open and done work of the signed-in person.",
        ["Instances"] = "Start, list, read and withdraw instances of a process; comment on them.",
        ["Processes"] = "The published processes with their input fields (public).",
        ["Replies"] = "Verify a reply by its number and code (public).",
        ["Tasks"] = "Complete a task; extend a deadline.",
        ["Timeline"] = "The journal of an instance and its hash chain.",
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "WorkflowHost API",
                Version = "v1",
                Description = "Consultations and approvals of a community party committee (社区大党委): units submit, members vote. "
                    + "Sign in with POST /api/account/token and send `Authorization: Bearer <accessToken>`; web pages signed in with the "
                    + "cookie send the X-CSRF-TOKEN header from GET /api/account/antiforgery with every POST.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The accessToken from POST /api/account/token.",
            };
            document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = "workflowhost.auth",
                Description = "The web pages' session cookie from /account/login. A POST with it must also send the X-CSRF-TOKEN header (GET /api/account/antiforgery).",
            };

            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            {
                if (tag.Name is { } name && tag.Description is null && TagDescriptions.TryGetValue(name, out var description))
                {
                    tag.Description = description;
                }
            }

            foreach (var server in document.Servers ?? new List<OpenApiServer>())
            {
                if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
                {
                    server.Url = url.TrimEnd('/');
                }
            }

            return Task.CompletedTask;
        });

        // An enum of the API (camelCase strings, JsonStringEnumConverter) is a string: without the type a generated client
        // takes it for a number and cannot read the answer.
        options.AddSchemaTransformer((schema, _, _) =>
        {
            if (schema.Type is null && schema.Enum is { Count: > 0 } values && values.All(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String))
            {
                schema.Type = JsonSchemaType.String;
            }

            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var description = context.Description;
            operation.OperationId ??= OperationId(description.HttpMethod ?? "GET", description.RelativePath ?? "");

            var metadata = description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [];
            }
            else
            {
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] },
                ];
            }

            return Task.CompletedTask;
        });
    }

    /// <summary><c>POST api/account/token</c> → <c>PostAccountToken</c>; <c>GET api/instances/{id}/timeline</c> → <c>GetInstancesTimeline</c>.</summary>
    public static string OperationId(string method, string relativePath)
    {
        var name = new StringBuilder(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(method.ToLowerInvariant()));
        foreach (var segment in relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "api" && !s.StartsWith('{')))
        {
            foreach (var word in segment.Split(['-', '.', '_'], StringSplitOptions.RemoveEmptyEntries))
            {
                name.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }
        }

        return name.ToString();
    }
}
