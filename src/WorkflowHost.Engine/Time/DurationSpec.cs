namespace WorkflowHost.Engine.Time;

/// <summary>
/// A span of time in a definition: exactly one unit is set. Working days follow the calendar
/// (holidays and 调休 weekends); the others are plain elapsed time, useful for tests and demonstrations.
/// </summary>
public sealed record DurationSpec
{
    public int? WorkingDays { get; init; }

    public int? Days { get; init; }

    public int? Hours { get; init; }

    public int? Minutes { get; init; }

    public int? Seconds { get; init; }

    public int UnitsSet => new int?[] { WorkingDays, Days, Hours, Minutes, Seconds }.Count(v => v is not null);

    public DateTimeOffset AddTo(DateTimeOffset start, IWorkingCalendar calendar)
    {
        if (WorkingDays is { } workingDays)
        {
            return calendar.AddWorkingDays(start, workingDays);
        }

        return start + ElapsedSpan();
    }

    /// <summary>The instant this span before <paramref name="end"/>; working days count back over the calendar.</summary>
    public DateTimeOffset SubtractFrom(DateTimeOffset end, IWorkingCalendar calendar)
    {
        if (WorkingDays is { } workingDays)
        {
            return calendar.SubtractWorkingDays(end, workingDays);
        }

        return end - ElapsedSpan();
    }

    private TimeSpan ElapsedSpan() =>
        Days is { } d ? TimeSpan.FromDays(d)
        : Hours is { } h ? TimeSpan.FromHours(h)
        : Minutes is { } m ? TimeSpan.FromMinutes(m)
        : TimeSpan.FromSeconds(Seconds ?? 0);

    public override string ToString() =>
        WorkingDays is { } w ? $"{w} working days"
        : Days is { } d ? $"{d} days"
        : Hours is { } h ? $"{h} hours"
        : Minutes is { } m ? $"{m} minutes"
        : $"{Seconds} seconds";
}
