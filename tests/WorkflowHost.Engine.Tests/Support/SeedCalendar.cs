using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>The working calendar built from <c>seeds/calendar/*.json</c> (holidays and 调休 working weekends).</summary>
internal static class SeedCalendar
{
    private static readonly Lazy<WorkingCalendar> LazyCalendar = new(Load);

    public static WorkingCalendar Calendar => LazyCalendar.Value;

    private static WorkingCalendar Load()
    {
        var holidays = new List<DateOnly>();
        var workingWeekends = new List<DateOnly>();
        var years = new List<int>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Seeds, "calendar"), "*.json"))
        {
            var root = JsonNode.Parse(File.ReadAllText(file))!;
            years.Add(root["year"]!.GetValue<int>());
            holidays.AddRange(Dates(root["holidays"]));
            workingWeekends.AddRange(Dates(root["workingWeekends"]));
        }

        return new WorkingCalendar(WorkingCalendar.ChinaStandardTime, new TimeOnly(17, 30), holidays, workingWeekends, years);
    }

    private static IEnumerable<DateOnly> Dates(JsonNode? list) =>
        list!.AsArray().Select(d => DateOnly.ParseExact(d!["date"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture));
}
