using System.Globalization;
using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Instances;

/// <summary>
/// The list filters, taken as text so that every malformed one is reported by name (a typed binder would stop at the first).
/// Dates are calendar days in the community's time zone; <c>to</c> is inclusive.
/// </summary>
public sealed record ListInstancesQuery(string? Process, string? State, string? Unit, string? From, string? To, string? Page, string? PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public static readonly IReadOnlyList<string> States = [InstanceRowStatus.Running, InstanceRowStatus.Completed, InstanceRowStatus.Withdrawn];

    internal static bool IsDate(string? text) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    internal static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

internal sealed class ListInstancesQueryValidator : AbstractValidator<ListInstancesQuery>
{
    public ListInstancesQueryValidator()
    {
        RuleFor(q => q.Process).MaximumLength(64);
        RuleFor(q => q.Unit).MaximumLength(64);
        RuleFor(q => q.State).Must(s => ListInstancesQuery.States.Contains(s!)).When(q => q.State is not null)
            .WithMessage($"'state' must be one of: {string.Join(", ", ListInstancesQuery.States)}.");
        RuleFor(q => q.From).Must(ListInstancesQuery.IsDate).When(q => q.From is not null).WithMessage("'from' must be a date written yyyy-MM-dd.");
        RuleFor(q => q.To).Must(ListInstancesQuery.IsDate).When(q => q.To is not null).WithMessage("'to' must be a date written yyyy-MM-dd.");
        RuleFor(q => q.To).Must((q, to) => ListInstancesQuery.Date(to!) >= ListInstancesQuery.Date(q.From!))
            .When(q => ListInstancesQuery.IsDate(q.From) && ListInstancesQuery.IsDate(q.To)).WithMessage("'to' must not be before 'from'.");
        RuleFor(q => q.Page).Must(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100_000)
            .When(q => q.Page is not null).WithMessage("'page' must be a whole number from 1 to 100000.");
        RuleFor(q => q.PageSize).Must(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= ListInstancesQuery.MaxPageSize)
            .When(q => q.PageSize is not null).WithMessage($"'pageSize' must be a whole number from 1 to {ListInstancesQuery.MaxPageSize}.");
    }
}

internal static class ListInstances
{
    public static async Task<IResult> HandleAsync(
        [AsParameters] ListInstancesQuery query, Caller caller, IValidator<ListInstancesQuery> validator, IWorkingCalendar calendar,
        InstanceReader reader, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(query, cancellationToken);
        if (!validation.IsValid)
        {
            return Problems.Validation(validation.Errors.GroupBy(e => Body<object>.JsonName(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
        }

        DateTimeOffset? StartOf(DateOnly day)
        {
            var local = day.ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, calendar.TimeZone.GetUtcOffset(local)).ToUniversalTime();
        }

        var filter = new InstanceFilter(
            query.Process, query.State, query.Unit,
            query.From is null ? null : StartOf(ListInstancesQuery.Date(query.From)),
            query.To is null ? null : StartOf(ListInstancesQuery.Date(query.To).AddDays(1)),
            query.Page is null ? 1 : int.Parse(query.Page, CultureInfo.InvariantCulture),
            query.PageSize is null ? ListInstancesQuery.DefaultPageSize : int.Parse(query.PageSize, CultureInfo.InvariantCulture));
        return Results.Ok(await reader.ListAsync(caller, filter, cancellationToken));
    }
}
