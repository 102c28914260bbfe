using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Journal;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>What the database holds after a fault run, and every invariant it breaks (none, if all is well).</summary>
public sealed record InvariantReport(
    int Instances, int Ballots, int Votes, int Numbers, int TimersFired, int TimersDueWhileDown, int JournalEvents, IReadOnlyList<string> Violations)
{
    public override string ToString() =>
        $"{Instances} instances, {Ballots} ballots, {Votes} votes, {Numbers} numbers, {TimersFired} timers fired "
        + $"({TimersDueWhileDown} fell due while a host was down), {JournalEvents} journal events verified; "
        + (Violations.Count == 0 ? "every invariant held" : $"{Violations.Count} violations:\n  " + string.Join("\n  ", Violations.Take(30)));
}

/// <summary>
/// Reads the database directly (no host in between) and checks it against what the clients were told:
/// every acknowledged request is there, no vote is counted twice, a ballot has at most one outcome, numbers are unique
/// and gapless per community, series and year, every timer due fired exactly once, and every journal verifies.
/// </summary>
public static partial class InvariantChecker
{
    /// <summary>The hosts under test run in Development, with the sealing key of appsettings.Development.json.</summary>
    private static readonly WorkflowHost.Persistence.Sealing.StoreKeys DevelopmentSealingKey =
        WorkflowHost.Persistence.Sealing.StoreKeys.FromBase64("ZGV2ZWxvcG1lbnQtb25seS1zZWFsaW5nLWtleS1iaW5oZS0yMDI2");

    public static async Task<InvariantReport> CheckAsync(FaultDatabase database, FaultLedger ledger, DateTimeOffset settledAt, string runId)
    {
        await using var db = database.Open();
        var instances = await db.Instances.AsNoTracking().ToListAsync();
        var events = (await db.JournalEvents.AsNoTracking().ToListAsync()).OrderBy(e => e.Sequence).ToLookup(e => e.InstanceId);
        var voters = await db.BallotVoters.AsNoTracking().ToListAsync();
        var items = await db.WorkItems.AsNoTracking().ToListAsync();
        var timers = await db.Timers.AsNoTracking().ToListAsync();
        var numbers = await db.IssuedNumbers.AsNoTracking().ToListAsync();
        var series = await db.NumberSeries.AsNoTracking().ToListAsync();
        var keys = (await db.IdempotentCommands.AsNoTracking().Select(c => c.Key).ToListAsync()).ToHashSet(StringComparer.Ordinal);

        var violations = new List<string>();
        var byId = instances.ToDictionary(i => i.Id);
        var markers = instances.ToLookup(MarkerOf);

        CheckAcknowledged(ledger, byId, markers, runId, items, voters, keys, violations);
        var ballots = CheckBallots(events, voters, items, violations);
        CheckNumbers(numbers, series, violations);
        var (fired, dueWhileDown) = CheckTimers(ledger.Outages, timers, events, settledAt, violations);

        var journalEvents = 0;
        foreach (var instance in instances)
        {
            var chain = events[instance.Id].ToList();
            journalEvents += chain.Count;
            var verification = JournalChain.Verify(DevelopmentSealingKey, chain, instance.JournalSequence, instance.JournalHead);
            if (!verification.Intact)
            {
                violations.Add($"journal of {instance.Id} broken at event {verification.FirstBrokenSequence}: {verification.Problem}");
            }
        }

        var votes = voters.Count(v => v.Status == VoterStatus.Voted);
        return new InvariantReport(instances.Count, ballots, votes, numbers.Count, fired, dueWhileDown, journalEvents, violations);
    }

    private static void CheckAcknowledged(
        FaultLedger ledger, Dictionary<Guid, WorkflowInstance> instances, ILookup<string?, WorkflowInstance> markers, string runId,
        List<WorkItem> items, List<BallotVoter> voters, HashSet<string> keys, List<string> violations)
    {
        // A start sent (and perhaps re-sent) under one key made one instance at most: the marker is unique per start.
        foreach (var group in markers.Where(g => g.Key?.StartsWith(runId, StringComparison.Ordinal) == true && g.Count() > 1))
        {
            violations.Add($"start {group.Key} made {group.Count()} instances");
        }

        var voterRows = voters.ToDictionary(v => (v.InstanceId, v.BookmarkId, v.PersonId));
        var itemRows = items.ToDictionary(i => (i.InstanceId, i.BookmarkId));
        foreach (var ack in ledger.Acks)
        {
            if (!instances.TryGetValue(ack.InstanceId, out var instance))
            {
                violations.Add($"acknowledged {ack.Kind} on {ack.InstanceId}: the instance is not in the database");
                continue;
            }

            if (ack.StoredKey(instance.CommunityId) is { } key && !keys.Contains(key))
            {
                violations.Add($"acknowledged {ack.Kind} on {ack.InstanceId} with Idempotency-Key {ack.IdempotencyKey}: the key is not stored");
            }

            switch (ack.Kind)
            {
                case AckKind.Started when MarkerOf(instance) != ack.Marker:
                    violations.Add($"acknowledged start {ack.Marker} answered {ack.InstanceId}, which is {MarkerOf(instance)}");
                    break;
                case AckKind.TaskCompleted when !itemRows.TryGetValue((ack.InstanceId, ack.Step!), out var item) || item.Status != "closed" || item.Outcome != ack.Choice:
                    violations.Add($"acknowledged completion of {ack.Step} on {ack.InstanceId} ({ack.Choice}) is not recorded");
                    break;
                case AckKind.Voted or AckKind.VoteConfirmedByRetry
                    when !voterRows.TryGetValue((ack.InstanceId, ack.Step!, ack.Person), out var voter) || voter.Status != VoterStatus.Voted || voter.Choice != ack.Choice:
                    violations.Add($"acknowledged vote of {ack.Person} ({ack.Choice}) on {ack.Step} of {ack.InstanceId} is not recorded as cast");
                    break;
            }
        }
    }

    /// <summary>Per ballot: one VoteCast event per voter, as many as voter rows marked voted, and at most one close whose totals add up.</summary>
    private static int CheckBallots(ILookup<Guid, JournalEvent> events, List<BallotVoter> voters, List<WorkItem> items, List<string> violations)
    {
        var ballots = items.Where(i => i.Kind == "ballot").ToList();
        var voted = voters.Where(v => v.Status == VoterStatus.Voted).ToLookup(v => (v.InstanceId, v.BookmarkId));
        foreach (var ballot in ballots)
        {
            var journal = events[ballot.InstanceId].Select(e => (e.Type, Data: JsonNode.Parse(e.DataJson)!)).Where(e => Str(e.Data, "bookmark") == ballot.BookmarkId).ToList();
            var casts = journal.Where(e => e.Type == "VoteCast").Select(e => Str(e.Data, "voter")).ToList();
            foreach (var twice in casts.GroupBy(v => v).Where(g => g.Count() > 1))
            {
                violations.Add($"{twice.Key} has {twice.Count()} votes on {ballot.BookmarkId} of {ballot.InstanceId}");
            }

            var rows = voted[(ballot.InstanceId, ballot.BookmarkId)].Count();
            if (casts.Count != rows)
            {
                violations.Add($"{ballot.BookmarkId} of {ballot.InstanceId}: {casts.Count} VoteCast events but {rows} voters marked voted");
            }

            var closes = journal.Where(e => e.Type == "BallotClosed").ToList();
            if (closes.Count > 1)
            {
                violations.Add($"{ballot.BookmarkId} of {ballot.InstanceId} closed {closes.Count} times");
            }

            if (closes.Count == 1)
            {
                var close = closes[0].Data;
                var counted = close["totals"]!.AsObject().Sum(t => t.Value!.GetValue<int>());
                if (counted != rows)
                {
                    violations.Add($"{ballot.BookmarkId} of {ballot.InstanceId} closed with {counted} votes counted, {rows} cast");
                }

                if (ballot.Status != "closed" || ballot.Outcome != Str(close, "outcome"))
                {
                    violations.Add($"{ballot.BookmarkId} of {ballot.InstanceId}: work item {ballot.Status}/{ballot.Outcome}, journal says {Str(close, "outcome")}");
                }
            }
            else if (ballot.Status == "closed" && ballot.CloseReason is not "withdrawn")
            {
                violations.Add($"{ballot.BookmarkId} of {ballot.InstanceId} is closed ({ballot.Outcome}) without a BallotClosed event");
            }
        }

        return ballots.Count;
    }

    /// <summary>Unique and gapless per community, series and year: exactly 1..n, and the counter stands at n.</summary>
    private const string FeedbackSeries = "feedback";

    private static void CheckNumbers(List<IssuedNumber> numbers, List<NumberSeries> series, List<string> violations)
    {
        foreach (var group in numbers.GroupBy(n => (n.CommunityId, n.Series, n.Year)))
        {
            var values = group.Select(n => long.Parse(TrailingDigits().Match(n.Number).Value, CultureInfo.InvariantCulture)).Order().ToList();
            var expected = Enumerable.Range(1, values.Count).Select(v => (long)v).ToList();
            if (!values.SequenceEqual(expected))
            {
                var missing = expected.Except(values).Take(10);
                var doubled = values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).Take(10);
                violations.Add($"numbers of {group.Key}: {values.Count} issued, missing [{string.Join(", ", missing)}], doubled [{string.Join(", ", doubled)}]");
            }

            var counter = series.SingleOrDefault(s => s.CommunityId == group.Key.CommunityId && s.Series == group.Key.Series && s.Year == group.Key.Year);
            if (counter?.LastValue != values.Count)
            {
                violations.Add($"numbers of {group.Key}: {values.Count} issued but the counter stands at {counter?.LastValue}");
            }
        }

        // A reply's step issues one number; the annual feedback's letters step issues one per unit (decision 125).
        foreach (var instanceTwice in numbers.Where(n => n.Series != FeedbackSeries).GroupBy(n => (n.InstanceId, n.ActivityId)).Where(g => g.Count() > 1))
        {
            violations.Add($"{instanceTwice.Key.ActivityId} of {instanceTwice.Key.InstanceId} issued {instanceTwice.Count()} numbers");
        }
    }

    /// <summary>
    /// Every timer due before the run settled has fired or been settled; each fired exactly once (one TimerFired event);
    /// those that fell due while the host was down among them.
    /// </summary>
    private static (int Fired, int DueWhileDown) CheckTimers(
        IReadOnlyList<Outage> outages, List<WorkflowTimer> timers, ILookup<Guid, JournalEvent> events, DateTimeOffset settledAt, List<string> violations)
    {
        var firings = events.SelectMany(g => g).Where(e => e.Type == "TimerFired")
            .GroupBy(e => (e.InstanceId, Str(JsonNode.Parse(e.DataJson)!, "timer")))
            .ToDictionary(g => g.Key, g => g.Count());
        var dueWhileDown = 0;
        foreach (var timer in timers)
        {
            var fired = firings.GetValueOrDefault((timer.InstanceId, timer.TimerId));
            var down = outages.Any(o => timer.DueAt >= o.KilledAt && timer.DueAt < o.HealthyAt);
            if (timer.DueAt <= settledAt && timer.Status == TimerStatus.Pending)
            {
                violations.Add($"timer {timer.TimerId} of {timer.InstanceId} due {timer.DueAt:O}{(down ? " (while the host was down)" : "")} never fired");
            }

            if (fired > 1 || (timer.Status == TimerStatus.Fired) != (fired == 1))
            {
                violations.Add($"timer {timer.TimerId} of {timer.InstanceId}: status {timer.Status}, fired {fired} times");
            }

            if (down && timer.Status == TimerStatus.Fired)
            {
                dueWhileDown++;
            }
        }

        return (timers.Count(t => t.Status == TimerStatus.Fired), dueWhileDown);
    }

    private static string? MarkerOf(WorkflowInstance instance)
    {
        var input = JsonNode.Parse(instance.StateJson)?["input"];
        return Str(input, "nomineeName") ?? Str(input, "marker");
    }

    private static string? Str(JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex(@"\d+$")]
    private static partial Regex TrailingDigits();
}
