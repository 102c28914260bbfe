using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Tests.Reminders;

/// <summary>
/// Runs one instance through the pure runner the way the host would: it keeps the state, the pending timers and every
/// notification, and moves a <see cref="FakeTimeProvider"/> forward firing each timer when it falls due.
/// </summary>
internal sealed class DeadlineHarness
{
    public const string Secretary = "p-secretary";
    public const string Street = "p-street";
    public const string Office = "p-office";
    public const string Liaison = "p-liaison";

    public static readonly IReadOnlyList<string> Members = ["p-m1", "p-m2", "p-m3", "p-m4"];

    private readonly WorkflowDefinition _definition;
    private InstanceState? _state;

    public DeadlineHarness(string definitionJson, DateTimeOffset start)
    {
        _definition = DefinitionReader.Read("test.json", definitionJson);
        Time = new FakeTimeProvider(start);
    }

    public FakeTimeProvider Time { get; }

    public static IWorkingCalendar Calendar { get; } = SeedCalendar.Load();

    public static ParticipantDirectory Directory { get; } = new([
        new DirectoryPerson(Secretary, null, Roles("secretary", "committee-member")),
        new DirectoryPerson(Street, null, Roles("street-committee")),
        new DirectoryPerson(Office, null, Roles("office")),
        new DirectoryPerson(Liaison, "unit-a", Roles("unit-liaison")),
        .. Members.Select(m => new DirectoryPerson(m, null, Roles("committee-member"))),
    ]);

    public InstanceState State => _state ?? throw new InvalidOperationException("Start first.");

    /// <summary>Timer id → due time, for every timer scheduled and neither fired nor cancelled.</summary>
    public SortedDictionary<string, DateTimeOffset> PendingTimers { get; } = new(StringComparer.Ordinal);

    public List<string> CancelledTimers { get; } = [];

    public List<(DateTimeOffset At, NotificationRequested Notification)> Notifications { get; } = [];

    public List<JournalEntry> Journal { get; } = [];

    public List<Effect> LastEffects { get; private set; } = [];

    public void Start(JsonObject? input = null)
    {
        var result = WorkflowRunner.Start(_definition, new StartInstance(Guid.Parse("0190a000-0000-7000-8000-000000000001"), "c", Liaison, input ?? []), Context());
        Assert.True(result.Accepted, result.Refusal?.Message);
        Apply(result);
    }

    public RunResult Resume(Stimulus stimulus)
    {
        var result = WorkflowRunner.Resume(_definition, State, stimulus, Context());
        if (result.Accepted)
        {
            Apply(result);
        }

        return result;
    }

    public void Accept(Stimulus stimulus)
    {
        var result = Resume(stimulus);
        Assert.True(result.Accepted, result.Refusal?.Message);
    }

    /// <summary>Moves time to <paramref name="until"/>, firing every timer due on the way, in due order, each at its due time.</summary>
    public void AdvanceTo(DateTimeOffset until)
    {
        while (PendingTimers.Where(t => t.Value <= until).OrderBy(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).FirstOrDefault() is { Key: not null } next)
        {
            if (next.Value > Time.GetUtcNow())
            {
                Time.SetUtcNow(next.Value);
            }

            PendingTimers.Remove(next.Key);
            var result = Resume(new FireTimer(next.Key));
            Assert.True(result.Accepted, $"timer {next.Key}: {result.Refusal?.Message}");
        }

        if (until > Time.GetUtcNow())
        {
            Time.SetUtcNow(until);
        }
    }

    public string OpenBookmark(BookmarkKind kind) => Assert.Single(State.Bookmarks, b => b.Kind == kind).Id;

    public IEnumerable<NotificationRequested> NotificationsTo(string recipient) => Notifications.Select(n => n.Notification).Where(n => n.RecipientId == recipient);

    /// <summary>An instant in Shanghai local time.</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    private RunContext Context() => new(Time.GetUtcNow(), Directory, Calendar);

    private void Apply(RunResult result)
    {
        _state = result.State;
        LastEffects = [.. result.Effects];
        foreach (var effect in result.Effects)
        {
            switch (effect)
            {
                case TimerScheduled scheduled:
                    PendingTimers.Add(scheduled.TimerId, scheduled.DueAt);
                    break;
                case TimerCancelled cancelled:
                    PendingTimers.Remove(cancelled.TimerId);
                    CancelledTimers.Add(cancelled.TimerId);
                    break;
                case NotificationRequested notification:
                    Notifications.Add((Time.GetUtcNow(), notification));
                    break;
                case JournalEntry entry:
                    Journal.Add(entry);
                    break;
            }
        }
    }

    private static HashSet<string> Roles(params string[] roles) => [.. roles];
}

/// <summary>The shipped working-day calendar (seeds/calendar/*.json), read the way the host reads it.</summary>
internal static class SeedCalendar
{
    public static WorkingCalendar Load()
    {
        var folder = Path.Combine(FindRoot(), "seeds", "calendar");
        var holidays = new List<DateOnly>();
        var weekends = new List<DateOnly>();
        var years = new List<int>();
        foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            years.Add(document.RootElement.GetProperty("year").GetInt32());
            holidays.AddRange(document.RootElement.GetProperty("holidays").EnumerateArray().Select(d => DateOnly.Parse(d.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
            weekends.AddRange(document.RootElement.GetProperty("workingWeekends").EnumerateArray().Select(d => DateOnly.Parse(d.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new WorkingCalendar(WorkingCalendar.ChinaStandardTime, new TimeOnly(17, 30), holidays, weekends, years);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WorkflowHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("WorkflowHost.sln not found above " + AppContext.BaseDirectory);
    }
}
