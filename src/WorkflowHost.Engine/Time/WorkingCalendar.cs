namespace WorkflowHost.Engine.Time;

/// <summary>
/// A calendar that is data: days off and working weekend days (调休) per year. A year without data falls back
/// to Monday–Friday; <see cref="YearsWithoutData"/> lets the host warn about it.
/// </summary>
public sealed class WorkingCalendar : IWorkingCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workingWeekendDays;
    private readonly HashSet<int> _yearsWithData;

    public WorkingCalendar(
        TimeZoneInfo timeZone,
        TimeOnly endOfWorkingDay,
        IEnumerable<DateOnly>? holidays = null,
        IEnumerable<DateOnly>? workingWeekendDays = null,
        IEnumerable<int>? yearsWithData = null)
    {
        TimeZone = timeZone;
        EndOfWorkingDay = endOfWorkingDay;
        _holidays = [.. holidays ?? []];
        _workingWeekendDays = [.. workingWeekendDays ?? []];
        _yearsWithData = [.. yearsWithData ?? []];
    }

    /// <summary>Monday to Friday in China Standard Time, working day ending 17:30: the default before any data is loaded.</summary>
    public static WorkingCalendar WeekdaysOnly() => new(ChinaStandardTime, new TimeOnly(17, 30));

    public static TimeZoneInfo ChinaStandardTime => TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public TimeZoneInfo TimeZone { get; }

    public TimeOnly EndOfWorkingDay { get; }

    public bool HasDataFor(int year) => _yearsWithData.Contains(year);

    public bool IsWorkingDay(DateOnly day)
    {
        if (_holidays.Contains(day))
        {
            return false;
        }

        if (_workingWeekendDays.Contains(day))
        {
            return true;
        }

        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var local = TimeZoneInfo.ConvertTime(start, TimeZone);
        var day = DateOnly.FromDateTime(local.DateTime);

        // Zero working days: the end of today if today still counts, otherwise of the next working day.
        if (workingDays == 0 && IsWorkingDay(day) && TimeOnly.FromDateTime(local.DateTime) < EndOfWorkingDay)
        {
            return EndOf(day);
        }

        var remaining = Math.Max(workingDays, 1);
        while (remaining > 0)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                remaining--;
            }
        }

        return EndOf(day);
    }

    private DateTimeOffset EndOf(DateOnly day)
    {
        var localEnd = day.ToDateTime(EndOfWorkingDay);
        return new DateTimeOffset(localEnd, TimeZone.GetUtcOffset(localEnd)).ToUniversalTime();
    }
}
