using FluentValidation;
using Microsoft.Extensions.Options;
using WorkflowHost.Configuration;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Persistence.Attachments;

namespace WorkflowHost.Features.Attachments;

internal static class AttachmentsRegistration
{
    /// <summary>Binds and validates the <c>Attachments</c> section at start; call before the persistence is added, which uses it.</summary>
    public static WebApplicationBuilder AddAttachmentOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AttachmentOptions, AttachmentOptionsValidator>(AttachmentOptions.Section);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<AttachmentOptions>>().Value);
        builder.Services.AddSingleton<AttachmentReader>();
        return builder;
    }

    /// <summary>Whether a request is an upload, whose body limit is the attachments' own rather than the general one.</summary>
    public static bool IsUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(AttachmentsEndpoints.UploadPath, StringComparison.OrdinalIgnoreCase);
}

internal sealed class AttachmentOptionsValidator : AbstractValidator<AttachmentOptions>
{
    public AttachmentOptionsValidator(IHostEnvironment environment)
    {
        RuleFor(o => o.MaxUploadBytes).InclusiveBetween(1024, InputFieldLimits.MaxBytes)
            .WithMessage($"must be between 1024 and {InputFieldLimits.MaxBytes} bytes");
        RuleFor(o => o.OrphanAfter).InclusiveBetween(TimeSpan.FromMinutes(5), TimeSpan.FromDays(90))
            .WithMessage("must be between 5 minutes and 90 days (an upload must outlive the form it was made for)");
        RuleFor(o => o.Folder)
            .Must(folder => Directory.Exists(Path.GetFullPath(folder!, environment.ContentRootPath)))
            .When(o => !string.IsNullOrWhiteSpace(o.Folder))
            .WithMessage(o => $"the attachments folder '{Path.GetFullPath(o.Folder!, environment.ContentRootPath)}' does not exist");
        RuleFor(o => o.TempFolder)
            .Must(folder => Directory.Exists(folder))
            .When(o => !string.IsNullOrWhiteSpace(o.TempFolder))
            .WithMessage("the temporary folder for uploads does not exist");
    }
}
