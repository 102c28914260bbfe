using System.Globalization;
using FluentValidation;
using WorkflowHost.Persistence.InService;

namespace WorkflowHost.Features.InService;

/// <summary>A post (政策宣传、治安巡逻、文明劝导、关爱帮扶) or a small wish the office publishes. <c>dueOn</c> is yyyy-MM-dd.</summary>
public sealed record PublishOfferRequest(string? Kind, string? Category, string? Title, string? Description, int? Places, string? DueOn)
{
    public OfferInput ToInput() => new(Kind!, Category, Title!, Description, Places!.Value, InServiceDates.Parse(DueOn)!.Value);
}

/// <summary>The office's confirmation of a claim: served, with the hours (in half hours) and the day, or not fulfilled.</summary>
public sealed record ConfirmClaimRequest(bool? Served, decimal? Hours, string? ServedOn)
{
    public int? Minutes => Hours is { } hours ? (int)(hours * 60) : null;
}

/// <summary>Roster filters: a unit, a service post category the member would take, a month served in (yyyy-MM).</summary>
public sealed record RosterQuery(string? Unit, string? Category, string? Month = null)
{
    public DateOnly? ServedIn => InServiceDates.Month(Month);
}

internal static class InServiceDates
{
    public static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>A month written yyyy-MM, as its first day.</summary>
    public static DateOnly? Month(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month : null;
}

internal sealed class PublishOfferRules : AbstractValidator<PublishOfferRequest>
{
    public PublishOfferRules()
    {
        RuleFor(r => r.Kind).NotEmpty().Must(k => ServiceOfferKind.All.Contains(k!))
            .WithMessage($"'kind' must be one of: {string.Join(", ", ServiceOfferKind.All)}.");
        RuleFor(r => r.Category).NotEmpty().When(r => r.Kind == ServiceOfferKind.Post).WithMessage("A post needs its 'category'.")
            .Must(c => c is null || ServiceCategory.All.Contains(c)).WithMessage($"'category' must be one of: {string.Join(", ", ServiceCategory.All)}.");
        RuleFor(r => r.Category).Null().When(r => r.Kind == ServiceOfferKind.Wish).WithMessage("A small wish has no 'category'.");
        RuleFor(r => r.Title).NotEmpty().MaximumLength(100).Must(t => t is null || !t.Any(char.IsControl)).WithMessage("'title' must be one line.");
        RuleFor(r => r.Description).MaximumLength(1000);
        RuleFor(r => r.Places).NotNull().InclusiveBetween(1, 500);
        RuleFor(r => r.DueOn).NotEmpty().Must(d => InServiceDates.Parse(d) is not null).WithMessage("'dueOn' must be a date written yyyy-MM-dd.");
    }
}

internal sealed class ConfirmClaimRules : AbstractValidator<ConfirmClaimRequest>
{
    public ConfirmClaimRules()
    {
        RuleFor(r => r.Served).NotNull();
        When(r => r.Served == true, () =>
        {
            // Half hours: what a post's sign-in sheet records; also keeps minutes whole.
            RuleFor(r => r.Hours).NotNull().InclusiveBetween(0.5m, 24m).Must(h => h is null || h * 2 == Math.Floor(h.Value * 2))
                .WithMessage("'hours' must be between 0.5 and 24, in half hours.");
            RuleFor(r => r.ServedOn).NotEmpty().Must(d => InServiceDates.Parse(d) is not null).WithMessage("'servedOn' must be a date written yyyy-MM-dd.");
        });
        When(r => r.Served == false, () =>
        {
            RuleFor(r => r.Hours).Null().WithMessage("A claim not fulfilled has no 'hours'.");
            RuleFor(r => r.ServedOn).Null().WithMessage("A claim not fulfilled has no 'servedOn'.");
        });
    }
}

internal sealed class RosterQueryRules : AbstractValidator<RosterQuery>
{
    public RosterQueryRules()
    {
        RuleFor(r => r.Unit).MaximumLength(64);
        RuleFor(r => r.Month).Must(m => m is null || InServiceDates.Month(m) is not null).WithMessage("'month' must be a month written yyyy-MM.");
        RuleFor(r => r.Category).Must(c => c is null || ServiceCategory.All.Contains(c))
            .WithMessage($"'category' must be one of: {string.Join(", ", ServiceCategory.All)}.");
    }
}
