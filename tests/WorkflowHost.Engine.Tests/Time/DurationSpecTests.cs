using WorkflowHost.Engine.Time;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Time;

public sealed class DurationSpecTests
{
    private static readonly DateTimeOffset WednesdayBeforeNationalDay = new(2026, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Working_days_use_the_calendar() =>
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 17, 30, 0, TimeSpan.FromHours(8)), new DurationSpec { WorkingDays = 1 }.AddTo(WednesdayBeforeNationalDay, SeedCalendar.Calendar));

    [Theory]
    [InlineData(0, 2, 0)]
    [InlineData(3, 0, 0)]
    [InlineData(0, 0, 90)]
    public void Other_units_are_elapsed_time_through_holidays(int days, int hours, int minutes)
    {
        var spec = new DurationSpec { Days = days == 0 ? null : days, Hours = hours == 0 ? null : hours, Minutes = minutes == 0 ? null : minutes };

        Assert.Equal(WednesdayBeforeNationalDay + new TimeSpan(days, hours, minutes, 0), spec.AddTo(WednesdayBeforeNationalDay, SeedCalendar.Calendar));
    }
}
