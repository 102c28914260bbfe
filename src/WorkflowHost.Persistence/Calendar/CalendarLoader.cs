using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Persistence.Calendar;

/// <summary>Builds the working-day calendar from <c>seeds/calendar/{year}.json</c> (holidays and 调休 working weekends).</summary>
public static class CalendarLoader
{
    public static WorkingCalendar Load(string folder, CalendarOptions options, ILogger logger)
    {
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        var endOfDay = TimeOnly.ParseExact(options.EndOfWorkingDay, "HH:mm", CultureInfo.InvariantCulture);
        var holidays = new List<DateOnly>();
        var workingWeekends = new List<DateOnly>();
        var years = new List<int>();
        if (!Directory.Exists(folder))
        {
            logger.LogWarning("No calendar folder at {Folder}: every year falls back to Monday–Friday.", folder);
            return new WorkingCalendar(timeZone, endOfDay);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var year = JsonSerializer.Deserialize<CalendarYear>(File.ReadAllText(file), JsonOptions)
                ?? throw new InvalidDataException($"{file}: empty calendar file.");
            var dates = year.Holidays.Select(h => h.Date).Concat(year.WorkingWeekends.Select(w => w.Date));
            if (dates.Any(d => d.Year != year.Year))
            {
                throw new InvalidDataException($"{file}: every date must lie in {year.Year}.");
            }

            if (!year.Verified)
            {
                logger.LogWarning("Calendar {Year} is not verified against the official notice: {Source}", year.Year, year.Source);
            }

            years.Add(year.Year);
            holidays.AddRange(year.Holidays.Select(h => h.Date));
            workingWeekends.AddRange(year.WorkingWeekends.Select(w => w.Date));
        }

        return new WorkingCalendar(timeZone, endOfDay, holidays, workingWeekends, years);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record CalendarYear(int Year, string Source, bool Verified, List<CalendarDay> Holidays, List<CalendarDay> WorkingWeekends);

    private sealed record CalendarDay(DateOnly Date);
}

public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Local time, HH:mm, at which a working day's deadline falls.</summary>
    public string EndOfWorkingDay { get; set; } = "17:30";
}
