using System.Globalization;
using FluentValidation;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Ledger;

/// <summary>
/// The ledger's filters (台账筛选), as text so that every malformed one is reported by name. <c>year</c> and <c>month</c>
/// (yyyy-MM) are the start date's, in the community's time zone; <c>overdue</c> is true or false; <c>q</c> searches the
/// nominee's name, the title and the reply number; <c>kind</c> is a consultation's kind (promotion, award…), <c>member</c>
/// a committee member on the case's ballot, <c>step</c> a step now open.
/// </summary>
public sealed record LedgerQuery(
    string? Process, string? State, string? Unit, string? Year, string? Month, string? Overdue, string? Kind, string? Member, string? Step,
    string? Q, string? Page, string? PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 50;
    public static readonly IReadOnlyList<string> States = [InstanceRowStatus.Running, InstanceRowStatus.Completed, InstanceRowStatus.Withdrawn];

    public static LedgerQuery Empty { get; } = new(null, null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>The query string of these filters (without paging), for links to the same list, its next page or its export.</summary>
    public string ToQueryString(bool withPaging = false)
    {
        var pairs = new List<(string Key, string? Value)>
        {
            ("process", Process), ("state", State), ("unit", Unit), ("year", Year), ("month", Month), ("overdue", Overdue),
            ("kind", Kind), ("member", Member), ("step", Step), ("q", Q),
        };
        if (withPaging)
        {
            pairs.Add(("page", Page));
            pairs.Add(("pageSize", PageSize));
        }

        return string.Join('&', pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
    }

    internal static bool IsYear(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && text!.Length == 4 && year is >= 2000 and <= 2100;

    internal static bool IsMonth(string? text) => DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 2100;

    internal static bool IsWholeNumber(string? text, int max) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max;

    /// <summary>The validated filters as the reader takes them: times in UTC, numbers parsed.</summary>
    internal LedgerFilter ToFilter(IWorkingCalendar calendar, DateTimeOffset now)
    {
        DateTimeOffset StartOf(DateOnly day)
        {
            var local = day.ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, calendar.TimeZone.GetUtcOffset(local)).ToUniversalTime();
        }

        (DateTimeOffset? From, DateTimeOffset? Before) period = (null, null);
        if (Year is not null)
        {
            var year = int.Parse(Year, CultureInfo.InvariantCulture);
            period = (StartOf(new DateOnly(year, 1, 1)), StartOf(new DateOnly(year + 1, 1, 1)));
        }
        else if (Month is not null)
        {
            var first = DateOnly.ParseExact(Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            period = (StartOf(first), StartOf(first.AddMonths(1)));
        }

        return new LedgerFilter(
            Process, State, Unit, period.From, period.Before, Overdue is null ? null : Overdue == "true", Kind, Member, Step,
            string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(), now,
            Page is null ? 1 : int.Parse(Page, CultureInfo.InvariantCulture),
            PageSize is null ? DefaultPageSize : int.Parse(PageSize, CultureInfo.InvariantCulture));
    }
}

/// <summary>A validated ledger query. <see cref="Now"/> decides what is overdue, so one list is judged at one instant.</summary>
internal sealed record LedgerFilter(
    string? Process, string? State, string? Unit, DateTimeOffset? StartedFrom, DateTimeOffset? StartedBefore, bool? Overdue,
    string? Kind, string? Member, string? Step, string? Text, DateTimeOffset Now, int Page, int PageSize);

internal sealed class LedgerQueryValidator : AbstractValidator<LedgerQuery>
{
    public LedgerQueryValidator(DefinitionCatalog catalog)
    {
        RuleFor(q => q.Process).Must(p => catalog.Current(p!) is not null).When(q => q.Process is not null)
            .WithMessage("'process' must be the id of a published process, as /api/processes lists them.");
        RuleFor(q => q.State).Must(s => LedgerQuery.States.Contains(s!)).When(q => q.State is not null)
            .WithMessage($"'state' must be one of: {string.Join(", ", LedgerQuery.States)}.");
        foreach (var (field, name) in new (System.Linq.Expressions.Expression<Func<LedgerQuery, string?>>, string)[]
                 { (q => q.Unit, "unit"), (q => q.Kind, "kind"), (q => q.Member, "member"), (q => q.Step, "step") })
        {
            RuleFor(field).Matches("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
                .WithMessage($"'{name}' must be an id: up to 64 letters, digits, '-', '_' or '.'.");
        }

        RuleFor(q => q.Year).Must(LedgerQuery.IsYear).When(q => q.Year is not null).WithMessage("'year' must be a year from 2000 to 2100, e.g. 2026.");
        RuleFor(q => q.Month).Must(LedgerQuery.IsMonth).When(q => q.Month is not null).WithMessage("'month' must be a month written yyyy-MM, e.g. 2026-11.");
        RuleFor(q => q.Month).Null().When(q => q.Year is not null).WithMessage("Give 'year' or 'month', not both.");
        RuleFor(q => q.Overdue).Must(o => o is "true" or "false").When(q => q.Overdue is not null).WithMessage("'overdue' must be true or false.");
        RuleFor(q => q.Q).MaximumLength(LedgerQuery.MaxSearchLength)
            .Must(q => !q!.Any(char.IsControl)).When(q => q.Q is not null).WithMessage("'q' must be text without control characters.");
        RuleFor(q => q.Page).Must(p => LedgerQuery.IsWholeNumber(p, 100_000)).When(q => q.Page is not null)
            .WithMessage("'page' must be a whole number from 1 to 100000.");
        RuleFor(q => q.PageSize).Must(p => LedgerQuery.IsWholeNumber(p, LedgerQuery.MaxPageSize)).When(q => q.PageSize is not null)
            .WithMessage($"'pageSize' must be a whole number from 1 to {LedgerQuery.MaxPageSize}.");
    }
}

/// <summary>How to export: <c>xlsx</c> (the default) or <c>csv</c>.</summary>
public sealed record ExportFormat(string? Format)
{
    public bool IsCsv => Format == "csv";
}

internal sealed class ExportFormatValidator : AbstractValidator<ExportFormat>
{
    public ExportFormatValidator() =>
        RuleFor(f => f.Format).Must(f => f is "xlsx" or "csv").When(f => f.Format is not null).WithMessage("'format' must be xlsx or csv.");
}
