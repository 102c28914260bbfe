using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Faults.Tests.Support;

public sealed record TwoHostsResult(TimeSpan Load, IReadOnlyList<TimeSpan> Startups, TimeSpan Settle, FaultLedger Ledger, InvariantReport Report, MailReport Mail, IReadOnlyDictionary<string, int> JobsByServer)
{
    public override string ToString()
    {
        var acks = Ledger.Acks;
        return string.Create(CultureInfo.InvariantCulture,
            $"PostgreSQL, two hosts: {Load.TotalSeconds:F0} s of load over both; {Ledger.Requests} requests, {acks.Count} acknowledged "
            + $"({acks.Count(a => a.Kind == AckKind.Started)} starts, {acks.Count(a => a.Kind == AckKind.Voted)} votes); "
            + $"jobs run per host: {string.Join(", ", JobsByServer.Select(j => $"{j.Key} {j.Value}"))}; settled {Settle.TotalSeconds:F1} s after the load stopped; "
            + $"unexpected answers: {Ledger.Unexpected.Count}. E-mail: {Mail}. Database: {Report}")
            + (Ledger.Unexpected.Count == 0 ? "" : "\nUnexpected answers:\n  " + string.Join("\n  ", Ledger.Unexpected.Take(20)));
    }
}

/// <summary>What reached the SMTP server compared with the outbox: each notification sent is one message, exactly once.</summary>
public sealed record MailReport(int Messages, int Reminders, int SentDeliveries, IReadOnlyList<string> Violations)
{
    public override string ToString() =>
        $"{Messages} messages ({Reminders} reminders) for {SentDeliveries} deliveries marked sent; "
        + (Violations.Count == 0 ? "each sent exactly once" : $"{Violations.Count} violations:\n  " + string.Join("\n  ", Violations.Take(30)));
}

/// <summary>Two host processes on one PostgreSQL database, both serving the API and both running Hangfire, requests spread over both.</summary>
public static class TwoHostsRun
{
    public static async Task<TwoHostsResult> RunAsync(FaultDatabase database, SmtpSink smtp, TimeSpan load, int seed, Action<string> log, CancellationToken cancellationToken)
    {
        var runId = $"t{seed:x4}{Environment.TickCount64 % 100_000:x}";
        var ledger = new FaultLedger();
        var settings = CrashRun.Fast(database.HostSettings());
        foreach (var (key, value) in smtp.HostSettings())
        {
            settings[key] = value;
        }

        await using var first = new HostProcess("host-a", settings, database.Folder);
        await using var second = new HostProcess("host-b", settings, database.Folder);
        var startups = new List<TimeSpan> { await first.StartAsync(TimeSpan.FromMinutes(3), cancellationToken) };
        startups.Add(await second.StartAsync(TimeSpan.FromMinutes(3), cancellationToken));
        log($"hosts up in {startups[0].TotalSeconds:F1} s and {startups[1].TotalSeconds:F1} s");

        using var api = new ApiClient([first.BaseAddress, second.BaseAddress], ledger);
        await api.SignInAsync(LoadDriver.Everyone, cancellationToken);
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var driving = new LoadDriver(api, ledger, seed, runId) { ReminderBallotShare = 0.5 }.RunAsync(workers: 4, stop.Token);
        await Task.Delay(load, cancellationToken);
        await stop.CancelAsync();
        await driving;
        var loaded = watch.Elapsed;

        var settleWatch = Stopwatch.StartNew();
        var settledAt = await CrashRun.SettleAsync(database, TimeSpan.FromMinutes(3), cancellationToken);
        var settle = settleWatch.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // a duplicate would come now, if at all
        var jobs = await JobsByServerAsync(database);
        first.Kill();
        second.Kill();

        var report = await InvariantChecker.CheckAsync(database, ledger, settledAt, runId);
        var mail = await CheckMailAsync(database, smtp);
        return new TwoHostsResult(loaded, startups, settle, ledger, report, mail, jobs);
    }

    /// <summary>Each message carries its notification's id (Message-Id <c>{id:N}@workflowhost</c>): one message per sent delivery, none twice, none unrecorded.</summary>
    private static async Task<MailReport> CheckMailAsync(FaultDatabase database, SmtpSink smtp)
    {
        await using var db = database.Open();
        var sent = await db.NotificationDeliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Sent).Select(d => d.NotificationId).ToListAsync();
        var reminders = (await db.Notifications.AsNoTracking().Where(n => n.Template == "reminder").Select(n => n.Id).ToListAsync()).ToHashSet();
        var messages = smtp.Messages.ToList();
        var byNotification = messages.GroupBy(m => m.MessageId ?? "").ToDictionary(g => g.Key, g => g.Count());
        var violations = new List<string>();
        foreach (var (id, count) in byNotification.Where(m => m.Value > 1))
        {
            violations.Add($"message {id} arrived {count} times");
        }

        var sentIds = sent.Select(id => $"{id:N}@workflowhost").ToHashSet(StringComparer.Ordinal);
        violations.AddRange(sentIds.Where(id => !byNotification.ContainsKey(id)).Select(id => $"delivery {id} is marked sent but never arrived"));
        violations.AddRange(byNotification.Keys.Where(id => !sentIds.Contains(id)).Select(id => $"message {id} arrived but its delivery is not marked sent"));
        var reminderMessages = messages.Count(m => reminders.Contains(NotificationOf(m.MessageId)));
        return new MailReport(messages.Count, reminderMessages, sent.Count, violations);
    }

    private static Guid NotificationOf(string? messageId) =>
        messageId is not null && Guid.TryParseExact(messageId.Split('@')[0], "N", out var id) ? id : Guid.Empty;

    /// <summary>How many jobs each Hangfire server began (its Processing states), to show both hosts did the work.</summary>
    private static async Task<IReadOnlyDictionary<string, int>> JobsByServerAsync(FaultDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.Options.PostgreSqlConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT split_part(data::jsonb ->> 'ServerId', ':', 1), count(*) FROM hangfire.state WHERE name = 'Processing' GROUP BY 1 ORDER BY 1
            """, connection);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return result;
    }
}
