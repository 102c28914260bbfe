using FluentValidation;

namespace WorkflowHost.Configuration;

/// <summary>Where the host finds its process definitions and seed data. Bound from <c>WorkflowHost</c> in appsettings.json.</summary>
public sealed class WorkflowHostOptions
{
    public const string Section = "WorkflowHost";

    /// <summary>Folder of <c>*.json</c> process definitions, relative to the content root.</summary>
    public string WorkflowsFolder { get; set; } = "workflows";

    /// <summary>Folder of seed data (<c>community.json</c>, <c>calendar/</c>), relative to the content root.</summary>
    public string SeedsFolder { get; set; } = "seeds";
}

internal sealed class WorkflowHostOptionsValidator : AbstractValidator<WorkflowHostOptions>
{
    public WorkflowHostOptionsValidator(IHostEnvironment environment)
    {
        RuleFor(o => o.WorkflowsFolder).NotEmpty()
            .Must(folder => Directory.Exists(Path.GetFullPath(folder, environment.ContentRootPath)))
            .WithMessage(o => $"the workflows folder '{Path.GetFullPath(o.WorkflowsFolder, environment.ContentRootPath)}' does not exist");
        RuleFor(o => o.SeedsFolder).NotEmpty()
            .Must(folder => Directory.Exists(Path.GetFullPath(folder, environment.ContentRootPath)))
            .WithMessage(o => $"the seeds folder '{Path.GetFullPath(o.SeedsFolder, environment.ContentRootPath)}' does not exist");
    }
}
