using WorkflowHost.Engine.Time;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>
/// When a message may buzz a phone: on a working day of the calendar (调休 weekends count, holidays do not) between the
/// end of quiet hours (07:30) and their start (22:00), local time. Only sending waits; a deadline never moves.
/// </summary>
public sealed class QuietHours(IWorkingCalendar calendar, TimeOnly from, TimeOnly until)
{
    /// <summary>Null when <paramref name="now"/> is fine; otherwise the next working morning (the end of quiet hours then).</summary>
    public DateTimeOffset? HoldUntil(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, calendar.TimeZone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (calendar.IsWorkingDay(day) && time >= until && time < from)
        {
            return null;
        }

        // Before the morning of a working day: that morning. Otherwise the morning of the next working day.
        var morning = calendar.IsWorkingDay(day) && time < until ? day : NextWorkingDay(day);
        var localMorning = morning.ToDateTime(until);
        return new DateTimeOffset(localMorning, calendar.TimeZone.GetUtcOffset(localMorning)).ToUniversalTime();
    }

    private DateOnly NextWorkingDay(DateOnly day)
    {
        for (var i = 0; i < 60; i++)
        {
            day = day.AddDays(1);
            if (calendar.IsWorkingDay(day))
            {
                return day;
            }
        }

        return day; // a calendar with two months off is wrong; do not hold a message for ever because of it
    }
}
