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

    /// <summary>The calendar year of an instant in the calendar's time zone (reply numbers are per year).</summary>
    int YearOf(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone).Year;

    DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);
}
