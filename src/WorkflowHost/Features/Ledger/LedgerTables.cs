using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Features.Ledger;

/// <summary>The ledger and a ballot's roll call as export tables, in the reader's language, times in the community's zone.</summary>
public static class LedgerTables
{
    /// <param name="definitionOf">The published definition of a process, whose ends name the results (from the catalog in memory).</param>
    public static ExportTable Cases(IReadOnlyList<LedgerRow> rows, Texts t, TimeZoneInfo zone, Func<string, WorkflowDefinition?> definitionOf) => new(
        t.LedgerSheet,
        [t.CaseId, t.Process, t.Subject, t.KindOfMatter, t.Community, t.Unit, t.State, t.Decision, t.SubmittedAt, t.EndedAt,
            t.IssuedNumbers, t.OpenSteps, t.Deadlines, t.OverdueColumn],
        [.. rows.Select(r => (IReadOnlyList<string>)
        [
            r.Id.ToString("D"), r.ProcessName?.For(t.Language) ?? r.Process, r.Subject ?? "", r.KindName?.For(t.Language) ?? r.Kind ?? "",
            r.CommunityName ?? r.CommunityId, r.Unit?.Name ?? r.Unit?.Id ?? "", t.StatusOf(r.State), r.Result is null ? "" : t.ResultOf(r.Result, definitionOf(r.Process)),
            Time(r.StartedAt, zone), r.EndedAt is { } ended ? Time(ended, zone) : "",
            string.Join("; ", r.ReplyNumbers),
            string.Join("; ", r.OpenSteps.Select(s => s.Name?.For(t.Language) ?? s.Activity)),
            string.Join("; ", r.OpenSteps.Select(s => s.DueAt is { } due ? Time(due, zone) : t.NoDeadline)),
            r.Overdue ? t.Yes : t.No,
        ])]);

    /// <summary>
    /// Who was on the ballot and what they did, then the totals. Built from the API's own <see cref="BallotView"/>, which
    /// carries a choice only on an open (non-secret) ballot; on a secret ballot the choice, reason and time columns are
    /// left out altogether and members are listed by id, never in the order they voted, so nothing in the file ties a
    /// member to a choice (docs/decisions/0099).
    /// </summary>
    public static IReadOnlyList<ExportTable> RollCall(BallotView ballot, Texts t, TimeZoneInfo zone)
    {
        var voters = (ballot.VoterList ?? []).OrderBy(v => v.Person.Id, StringComparer.Ordinal).ToList();
        var label = ballot.Options.ToDictionary(o => o.Name, o => o.Label?.For(t.Language) ?? o.Name, StringComparer.Ordinal);
        ExportTable roll = ballot.Secret
            ? new(t.RollCall, [t.Member, t.VoterStatus, t.EnteredBy, t.RecusalReasonColumn],
                [.. voters.Select(v => (IReadOnlyList<string>)[Name(v.Person), t.StatusOf(v.Status), v.EnteredBy is null ? "" : Name(v.EnteredBy), v.RecusalReason ?? ""])])
            : new(t.RollCall, [t.Member, t.VoterStatus, t.Choice, t.VoteReason, t.VotedAt, t.EnteredBy, t.RecusalReasonColumn],
                [.. voters.Select(v => (IReadOnlyList<string>)
                [
                    Name(v.Person), t.StatusOf(v.Status), v.Choice is null ? "" : label.GetValueOrDefault(v.Choice, v.Choice), v.Reason ?? "",
                    v.RespondedAt is { } at ? Time(at, zone) : "", v.EnteredBy is null ? "" : Name(v.EnteredBy), v.RecusalReason ?? "",
                ])]);
        ExportTable totals = new(t.Totals, [t.Option, t.Votes],
            [.. ballot.Options.Select(o => (IReadOnlyList<string>)[label[o.Name], ballot.Totals is { } counted ? counted.GetValueOrDefault(o.Name).ToString(System.Globalization.CultureInfo.InvariantCulture) : ""]),
                [t.Outcome, ballot.Outcome is null ? "" : t.ResultOf(ballot.Outcome)]]);
        return [roll, totals];
    }

    private static string Name(PersonRef person) => person.Name ?? person.Id;

    private static string Time(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
