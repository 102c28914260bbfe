using FluentValidation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using WorkflowHost.Configuration;

namespace WorkflowHost.Api;

/// <summary>
/// The size of any request body, API or page form (section <c>Limits</c>). JSON bodies of the API have their own,
/// smaller limit (<see cref="Body{T}.MaxBytes"/>); this one bounds everything else a client can post: the sign-in and
/// language forms, the pages' forms, and bodies sent to endpoints that read none.
/// </summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Bytes; a larger body is refused with 413 before it is read.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Fields in one posted form; the largest form of the pages has a few dozen.</summary>
    public int MaxFormFields { get; set; } = 200;
}

internal sealed class RequestLimitsOptionsValidator : AbstractValidator<RequestLimitsOptions>
{
    public RequestLimitsOptionsValidator()
    {
        // Never below what the API's own JSON limit needs, never so large a client could exhaust memory with a form.
        RuleFor(o => o.MaxRequestBodyBytes).InclusiveBetween(Body<object>.MaxBytes, 64L * 1024 * 1024);
        RuleFor(o => o.MaxFormFields).InclusiveBetween(10, 10_000);
    }
}

internal static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<RequestLimitsOptions, RequestLimitsOptionsValidator>(RequestLimitsOptions.Section);
        services.AddOptions<FormOptions>().Configure<IOptions<RequestLimitsOptions>>((form, limits) =>
        {
            form.MultipartBodyLengthLimit = limits.Value.MaxRequestBodyBytes;
            form.ValueLengthLimit = (int)Math.Min(limits.Value.MaxRequestBodyBytes, int.MaxValue);
            form.ValueCountLimit = limits.Value.MaxFormFields;
        });
        return services;
    }

    /// <summary>A declared length over the limit is a 413 at once; a chunked body is cut off by the server at the limit (also 413).</summary>
    /// <remarks>
    /// The body limit's options are a singleton, taken from the root provider once instead of from each request's scope; a request within
    /// its limit is handed on without an awaiting frame of this middleware (decision 177).
    /// </remarks>
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<RequestLimitsOptions>>();
        app.Use((http, next) =>
        {
            // An upload has its own limit, which its handler enforces while streaming (the server's cap is one byte past it).
            var upload = Features.Attachments.AttachmentsRegistration.IsUpload(http.Request);
            var limit = upload
                ? http.RequestServices.GetRequiredService<Persistence.Attachments.AttachmentOptions>().MaxUploadBytes
                : limits.Value.MaxRequestBodyBytes;
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = upload ? limit + 1 : limit;
            }

            return http.Request.ContentLength > limit ? RefuseAsync(http, limit) : next(http);
        });
        return app;
    }

    private static async Task RefuseAsync(HttpContext http, long limit)
    {
        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Detail = $"A request body may be at most {limit} bytes." },
        });
    }
}
