using FluentValidation;
using WorkflowHost.Persistence.InService.Feedback;

namespace WorkflowHost.Features.InService.Feedback;

/// <summary>One member's evaluation: <c>rating</c> is <c>excellent</c> (优秀), <c>competent</c> (合格) or <c>basically-competent</c> (基本合格).</summary>
public sealed record EvaluationEntry(string? Member, string? Rating, string? Comment);

/// <summary>
/// The office saves evaluations of the year under review, all or nothing; with <c>issue</c> true it saves them and issues the
/// feedback letters, which needs every registered member evaluated.
/// </summary>
public sealed record SaveReviewRequest(IReadOnlyList<EvaluationEntry>? Evaluations, bool? Issue);

internal sealed class SaveReviewRules : AbstractValidator<SaveReviewRequest>
{
    /// <summary>The comment is a line or two on a letter, not an appraisal report.</summary>
    public const int MaxComment = 200;

    public const int MaxMembers = 200;

    public SaveReviewRules()
    {
        RuleFor(r => r.Evaluations).NotNull().Must(e => e is null || e.Count <= MaxMembers).WithMessage($"'evaluations' takes at most {MaxMembers} members.");
        // Item errors are keyed as the engine keys them (evaluations[0].rating), so a client handles one spelling.
        RuleForEach(r => r.Evaluations).ChildRules(entry =>
        {
            entry.RuleFor(e => e.Member).NotEmpty().MaximumLength(64).OverridePropertyName("member");
            entry.RuleFor(e => e.Rating).NotEmpty().WithMessage("Choose an evaluation.")
                .Must(r => r is null || EvaluationRating.All.Contains(r)).WithMessage($"The evaluation is one of: {string.Join(", ", EvaluationRating.All)}.")
                .OverridePropertyName("rating");
            entry.RuleFor(e => e.Comment).MaximumLength(MaxComment).WithMessage($"The comment must be at most {MaxComment} characters.")
                .Must(c => c is null || !c.Any(char.IsControl)).WithMessage("The comment must be one line.")
                .OverridePropertyName("comment");
        });
    }
}
