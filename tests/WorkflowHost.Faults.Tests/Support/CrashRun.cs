using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>
/// How hard a crash run is. The CI test uses the defaults; <c>WORKFLOWHOST_CRASH_KILLS</c> (and
/// <c>WORKFLOWHOST_CRASH_SEED</c>, <c>WORKFLOWHOST_CRASH_WORKERS</c>) make the long runs of docs/reliability.md.
/// </summary>
public sealed record CrashOptions(int Kills, int Workers, int Seed)
{
    /// <summary>Load runs this long (at random) between a host answering and its SIGKILL.</summary>
    public (double Min, double Max) UpSeconds { get; init; } = (1, 3);

    /// <summary>The host stays dead this long (at random) before it is started again.</summary>
    public (double Min, double Max) DownSeconds { get; init; } = (0, 2.5);

    public static CrashOptions FromEnvironment(int kills) => new(
        Read("WORKFLOWHOST_CRASH_KILLS") ?? kills,
        Read("WORKFLOWHOST_CRASH_WORKERS") ?? 4,
        Read("WORKFLOWHOST_CRASH_SEED") ?? Environment.TickCount & 0xFFFF);

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}

public sealed record CrashResult(string Database, CrashOptions Options, TimeSpan Elapsed, IReadOnlyList<TimeSpan> Startups, TimeSpan Settle, FaultLedger Ledger, InvariantReport Report)
{
    public override string ToString()
    {
        var acks = Ledger.Acks;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Database}: {Startups.Count - 1} SIGKILLs in {Elapsed.TotalSeconds:F0} s (seed {Options.Seed}, {Options.Workers} workers); "
            + $"{Ledger.Requests} requests, {acks.Count} acknowledged ({acks.Count(a => a.Kind == AckKind.Started)} starts, "
            + $"{acks.Count(a => a.Kind == AckKind.Voted)} votes, {acks.Count(a => a.Kind == AckKind.VoteConfirmedByRetry)} votes confirmed by a plain retry's 409, "
            + $"{acks.Count(a => a.Replayed)} idempotent replays); answers lost and re-sent: {Ledger.KeyedRetries} with the same key, {Ledger.PlainRetries} plain; "
            + $"host start {Startups.Min().TotalSeconds:F1}–{Startups.Max().TotalSeconds:F1} s; due timers all settled {Settle.TotalSeconds:F1} s after the load stopped; "
            + $"unexpected answers: {Ledger.Unexpected.Count}. Database: {Report}")
            + (Ledger.Unexpected.Count == 0 ? "" : "\nUnexpected answers:\n  " + string.Join("\n  ", Ledger.Unexpected.Take(20)));
    }
}

/// <summary>One host under load, SIGKILLed at random moments and restarted, then the database checked.</summary>
public static class CrashRun
{
    public static async Task<CrashResult> RunAsync(FaultDatabase database, CrashOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var random = new Random(options.Seed);
        var runId = $"k{options.Seed:x4}{Environment.TickCount64 % 100_000:x}";
        var ledger = new FaultLedger();
        var startups = new List<TimeSpan>();
        var watch = Stopwatch.StartNew();
        await using var host = new HostProcess("host-a", Fast(database.HostSettings()), database.Folder);
        startups.Add(await host.StartAsync(TimeSpan.FromMinutes(3), cancellationToken));
        log($"{database.Name}: host up in {startups[0].TotalSeconds:F1} s");

        using var api = new ApiClient([host.BaseAddress], ledger);
        await api.SignInAsync(LoadDriver.Everyone, cancellationToken);
        using var stop = new CancellationTokenSource();
        var driver = new LoadDriver(api, ledger, options.Seed, runId);
        var load = driver.RunAsync(options.Workers, stop.Token);

        for (var kill = 1; kill <= options.Kills; kill++)
        {
            await Task.Delay(Seconds(random, options.UpSeconds), cancellationToken);

            // A short timer started less than 2 s ago falls due during the outage (it runs 3 s; a restart takes longer).
            await WaitUntilAsync(() => driver.LastTimerStartedAt > DateTimeOffset.UtcNow.AddSeconds(-2), TimeSpan.FromSeconds(60), cancellationToken);
            var killedAt = DateTimeOffset.UtcNow;
            host.Kill();
            await Task.Delay(Seconds(random, options.DownSeconds), cancellationToken);
            var startup = await host.StartAsync(TimeSpan.FromMinutes(3), cancellationToken);
            startups.Add(startup);
            ledger.RecordOutage(new Outage(killedAt, DateTimeOffset.UtcNow));
            log($"{database.Name}: kill {kill}/{options.Kills}, back up in {startup.TotalSeconds:F1} s; {ledger.Acks.Count} acknowledged so far");
        }

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        await stop.CancelAsync();
        await load;
        var settleWatch = Stopwatch.StartNew();
        var settledAt = await SettleAsync(database, TimeSpan.FromMinutes(3), cancellationToken);
        var settle = settleWatch.Elapsed;
        host.Kill();

        var report = await InvariantChecker.CheckAsync(database, ledger, settledAt, runId);
        return new CrashResult(database.Name, options, watch.Elapsed, startups, settle, ledger, report);
    }

    /// <summary>The shipped settings, with the scheduler polling faster so a short run sees its timers fire.</summary>
    public static Dictionary<string, string> Fast(IReadOnlyDictionary<string, string> settings) => new(settings)
    {
        ["Scheduling__SchedulePollingInterval"] = "00:00:00.250",
        ["Scheduling__QueuePollInterval"] = "00:00:00.250",
    };

    /// <summary>
    /// Waits until no timer that is due is still pending and no e-mail is waiting for its turn; returns the moment that
    /// held (timers due before it must all have fired). Gives up after <paramref name="timeout"/> and lets the
    /// checker report what is left.
    /// </summary>
    public static async Task<DateTimeOffset> SettleAsync(FaultDatabase database, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var now = DateTimeOffset.UtcNow;
            await using var db = database.Open();
            var timers = await db.Timers.AsNoTracking().Where(t => t.Status == TimerStatus.Pending).Select(t => t.DueAt).ToListAsync(cancellationToken);
            // A delivery being sent is in flight whatever its due time: a host may claim one shortly before it falls due
            // (ChannelOutbox.EarlyClaim), and its e-mail can arrive after a check that took only due rows for unsettled.
            var mail = await db.NotificationDeliveries.AsNoTracking()
                .Where(d => d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending)
                .Select(d => new { d.Status, d.NextAttemptAt }).ToListAsync(cancellationToken);
            var mailDue = mail.Any(d => d.Status == DeliveryStatus.Sending || d.NextAttemptAt <= now + ChannelOutbox.EarlyClaim);
            if ((!timers.Any(due => due <= now) && !mailDue) || now > until)
            {
                return now;
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    private static TimeSpan Seconds(Random random, (double Min, double Max) range) =>
        TimeSpan.FromSeconds(range.Min + random.NextDouble() * (range.Max - range.Min));
}
