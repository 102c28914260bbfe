using WorkflowHost.Engine.Time;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Time;

/// <summary>
/// Against the real <c>seeds/calendar</c> data. Around National Day 2026: Sunday 20 September and Saturday 10 October are
/// working days (调休); 25–27 September (Mid-Autumn) and 1–7 October are days off.
/// </summary>
public sealed class WorkingCalendarTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static WorkingCalendar Calendar => SeedCalendar.Calendar;

    [Theory]
    [InlineData("2026-09-18", true)]   // Friday
    [InlineData("2026-09-19", false)]  // Saturday
    [InlineData("2026-09-20", true)]   // Sunday, worked (调休)
    [InlineData("2026-09-25", false)]  // Friday, Mid-Autumn
    [InlineData("2026-10-01", false)]  // Thursday, National Day
    [InlineData("2026-10-07", false)]
    [InlineData("2026-10-08", true)]
    [InlineData("2026-10-10", true)]   // Saturday, worked (调休)
    [InlineData("2026-10-11", false)]  // Sunday
    public void Working_days_follow_the_published_calendar(string date, bool working) =>
        Assert.Equal(working, Calendar.IsWorkingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    // start (Shanghai local time), working days, expected deadline day (ends 17:30 Shanghai)
    [InlineData("2026-09-30T10:00", 1, "2026-10-08")]  // across the whole National Day holiday
    [InlineData("2026-10-09T10:00", 1, "2026-10-10")]  // into the working Saturday
    [InlineData("2026-09-29T10:00", 4, "2026-10-10")]  // 30 Sep, 8, 9, 10 Oct
    [InlineData("2026-09-18T10:00", 1, "2026-09-20")]  // into the working Sunday
    [InlineData("2026-09-21T09:00", 5, "2026-09-29")]  // 22, 23, 24, (Mid-Autumn), 28, 29 Sep
    [InlineData("2026-12-31T10:00", 1, "2027-01-04")]  // New Year 2027 from next year's file
    [InlineData("2026-10-09T10:00", 0, "2026-10-09")]  // zero: the end of today
    [InlineData("2026-10-09T18:00", 0, "2026-10-10")]  // zero after 17:30: the next working day
    [InlineData("2026-10-03T10:00", 0, "2026-10-08")]  // zero on a holiday: the next working day
    public void Adding_working_days_skips_holidays_and_counts_working_weekends(string localStart, int days, string expectedDay)
    {
        var start = new DateTimeOffset(DateTime.Parse(localStart, System.Globalization.CultureInfo.InvariantCulture), Shanghai);

        var deadline = Calendar.AddWorkingDays(start, days);

        Assert.Equal(new DateTimeOffset(DateTime.Parse(expectedDay, System.Globalization.CultureInfo.InvariantCulture).Add(new TimeSpan(17, 30, 0)), Shanghai), deadline);
    }

    [Fact]
    public void A_working_day_ends_at_17_30_in_Shanghai()
    {
        var deadline = Calendar.AddWorkingDays(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), 1);

        Assert.Equal(new DateTimeOffset(2026, 3, 3, 9, 30, 0, TimeSpan.Zero), deadline);
        Assert.Equal(new TimeOnly(17, 30), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(deadline, WorkingCalendar.ChinaStandardTime).DateTime));
    }

    [Fact]
    public void Days_are_counted_from_the_date_in_Shanghai_not_in_UTC()
    {
        // Friday 9 October 16:30 UTC is already the working Saturday 10 October, 00:30, in Shanghai.
        var deadline = Calendar.AddWorkingDays(new DateTimeOffset(2026, 10, 9, 16, 30, 0, TimeSpan.Zero), 1);

        Assert.Equal(new DateTimeOffset(2026, 10, 12, 17, 30, 0, Shanghai), deadline);
    }

    [Fact]
    public void Negative_working_days_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), -1));

    [Theory]
    [InlineData("2026-12-31T15:59:59Z", 2026, "2026-12-31")]
    [InlineData("2026-12-31T17:00:00Z", 2027, "2027-01-01")]
    public void Year_and_date_are_those_of_Shanghai(string utc, int year, string date)
    {
        IWorkingCalendar calendar = Calendar;
        var instant = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(year, calendar.YearOf(instant));
        Assert.Equal(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), calendar.DateOf(instant));
    }

    [Fact]
    public void Without_data_a_year_falls_back_to_monday_to_friday()
    {
        var fallback = WorkingCalendar.WeekdaysOnly();

        Assert.True(fallback.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.False(fallback.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.False(fallback.HasDataFor(2026));
        Assert.True(Calendar.HasDataFor(2026));
    }
}
