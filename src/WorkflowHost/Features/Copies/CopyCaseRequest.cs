using FluentValidation;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.Copies;

/// <summary>抄送: whom to copy on the case (person ids) and, optionally, a note they read with the notice.</summary>
public sealed record CopyCaseRequest(IReadOnlyList<string>? To, string? Note);

internal sealed class CopyCaseRequestValidator : AbstractValidator<CopyCaseRequest>
{
    public CopyCaseRequestValidator()
    {
        RuleFor(r => r.To).NotEmpty();
        RuleFor(r => r.To!.Count).LessThanOrEqualTo(CopyCase.MaxPeople).When(r => r.To is not null).OverridePropertyName("to");
        RuleForEach(r => r.To).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Note).MaximumLength(CopyCase.MaxNoteLength);
    }
}
