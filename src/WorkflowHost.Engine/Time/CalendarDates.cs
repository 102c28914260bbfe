namespace WorkflowHost.Engine.Time;

/// <summary>Instants built from dates and times written in the calendar's own zone (a form's <c>date</c> and <c>time</c> fields).</summary>
public static class CalendarDates
{
    /// <summary>The instant of <paramref name="time"/> on <paramref name="date"/>, local to the calendar, as UTC.</summary>
    public static DateTimeOffset At(this IWorkingCalendar calendar, DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, calendar.TimeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The end of <paramref name="date"/>'s working day, or of the next working day when that date is a day off: a date-only deadline.</summary>
    public static DateTimeOffset EndOfWorkingDayOn(this IWorkingCalendar calendar, DateOnly date) =>
        calendar.AddWorkingDays(calendar.At(date, TimeOnly.MinValue), 0);

    /// <summary>The first instant after <paramref name="date"/> (local midnight that ends it): "once the date has passed".</summary>
    public static DateTimeOffset After(this IWorkingCalendar calendar, DateOnly date) => calendar.At(date.AddDays(1), TimeOnly.MinValue);

    /// <summary>The same local time <paramref name="workingDays"/> working days before the day of <paramref name="deadline"/>.</summary>
    public static DateTimeOffset WorkingDaysBefore(this IWorkingCalendar calendar, DateTimeOffset deadline, int workingDays)
    {
        var local = TimeZoneInfo.ConvertTime(deadline, calendar.TimeZone);
        var day = DateOnly.FromDateTime(local.DateTime);
        for (var remaining = workingDays; remaining > 0;)
        {
            day = day.AddDays(-1);
            if (calendar.IsWorkingDay(day))
            {
                remaining--;
            }
        }

        return calendar.At(day, TimeOnly.FromDateTime(local.DateTime));
    }

    /// <summary><paramref name="span"/> before <paramref name="deadline"/>; working days count back over the calendar.</summary>
    public static DateTimeOffset Before(this DurationSpec span, DateTimeOffset deadline, IWorkingCalendar calendar) =>
        span.WorkingDays is { } days ? calendar.WorkingDaysBefore(deadline, days) : deadline - (span.AddTo(deadline, calendar) - deadline);
}
