namespace WorkflowHost.Engine.Time;

/// <summary>Knows which days are working days and when a working day ends.</summary>
public interface IWorkingCalendar
{
    TimeZoneInfo TimeZone { get; }

    bool IsWorkingDay(DateOnly day);

    /// <summary>
    /// The end of the <paramref name="workingDays"/>-th working day after the day of <paramref name="start"/>
    /// (local time of the calendar). Zero means the end of the current day if it is a working day, else of the next one.
    /// </summary>
    DateTimeOffset AddWorkingDays(DateTimeOffset start, int workingDays);

    /// <summary>
    /// The same local time of day, <paramref name="workingDays"/> working days before the day of <paramref name="deadline"/>
    /// (for a deadline at the end of a working day: the end of an earlier working day). Reminders count back with it.
    /// </summary>
    DateTimeOffset SubtractWorkingDays(DateTimeOffset deadline, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var local = TimeZoneInfo.ConvertTime(deadline, TimeZone);
        var day = DateOnly.FromDateTime(local.DateTime);
        for (var remaining = workingDays; remaining > 0;)
        {
            day = day.AddDays(-1);
            if (IsWorkingDay(day))
            {
                remaining--;
            }
        }

        var localTime = day.ToDateTime(TimeOnly.FromDateTime(local.DateTime));
        return new DateTimeOffset(localTime, TimeZone.GetUtcOffset(localTime)).ToUniversalTime();
    }

    /// <summary>The calendar year of an instant in the calendar's time zone (reply numbers are per year).</summary>
    int YearOf(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone).Year;

    DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);
}
