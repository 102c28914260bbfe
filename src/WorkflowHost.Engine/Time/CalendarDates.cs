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
}
