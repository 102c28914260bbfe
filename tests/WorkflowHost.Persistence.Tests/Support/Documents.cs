using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>
/// The reply (意见回执) as a unit and its HR read it: number, community, unit, nominee, kind, decision, date and the
/// vote totals. Never who voted what: the document holds only totals, even for an open ballot.
/// </summary>
public sealed record ReplyDocument(
    string Number,
    DateOnly IssuedOn,
    Names Community,
    Names Unit,
    string Nominee,
    string? NomineePost,
    string? ProposedPost,
    string Kind,
    string Decision,
    bool SecretBallot,
    int Eligible,
    int Participants,
    int Recused,
    IReadOnlyDictionary<string, int> Totals)
{
    internal static async Task<ReplyDocument> BuildAsync(IDbContextFactory<WorkflowDbContext> factory, IssuedDocumentView view, CancellationToken cancellationToken)
    {
        var c = view.Content;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var names = await Names.LoadAsync(db, [view.CommunityId, DocumentContent.Text(c, "unit")], cancellationToken);
        return new ReplyDocument(
            view.Number, view.IssuedOn, Names.Of(names, view.CommunityId), Names.Of(names, DocumentContent.Text(c, "unit")),
            DocumentContent.Text(c, "nominee") ?? "", DocumentContent.Text(c, "nomineePost"), DocumentContent.Text(c, "proposedPost"),
            DocumentContent.Text(c, "kind") ?? "", DocumentContent.Text(c, "decision") ?? "", DocumentContent.Bool(c, "secret"),
            DocumentContent.Int(c, "eligible"), DocumentContent.Int(c, "participants"), DocumentContent.Int(c, "recused"),
            DocumentContent.Totals(c["totals"]));
    }
}

/// <summary>One round of a vote as the minutes record it (a deferred first round stays in the record).</summary>
public sealed record MinutesRound(int Round, string Outcome, int Margin, IReadOnlyDictionary<string, int> Totals, string? ClosedAt);

public sealed record MinutesAction(Names Unit, string Description, string DueDate);

public sealed record MinutesRecusal(Names Member, string Reason, bool Automatic);

/// <summary>
/// Numbered minutes (会议纪要) of a joint affairs item: the item, the date and place or online round, attendance, recusals,
/// totals and outcome of every round, the resolution and its follow-up actions. Who voted is listed; what they chose is not.
/// </summary>
public sealed record MinutesDocument(
    string Number,
    DateOnly IssuedOn,
    Names Community,
    string Item,
    string? Category,
    Names Proposer,
    Names? ProposingUnit,
    string? Format,
    string? MeetingDate,
    string? Place,
    bool SecretBallot,
    IReadOnlyList<Names> Attendance,
    IReadOnlyList<Names> Voted,
    IReadOnlyList<MinutesRecusal> Recusals,
    int Eligible,
    int Participants,
    IReadOnlyDictionary<string, int> Totals,
    string? Outcome,
    IReadOnlyList<MinutesRound> Rounds,
    string? Resolution,
    IReadOnlyList<MinutesAction> Actions)
{
    internal static async Task<MinutesDocument> BuildAsync(IDbContextFactory<WorkflowDbContext> factory, IssuedDocumentView view, CancellationToken cancellationToken)
    {
        var c = view.Content;
        var attendance = DocumentContent.Ids(c["attendance"]);
        var voted = DocumentContent.Ids(c["voted"]);
        var recusals = c["recusals"] as JsonArray ?? [];
        var actions = c["actions"] as JsonArray ?? [];
        var ids = new List<string?> { view.CommunityId, DocumentContent.Text(c, "proposer"), DocumentContent.Text(c, "proposingUnit") };
        ids.AddRange(attendance);
        ids.AddRange(voted);
        ids.AddRange(recusals.Select(r => CommunityRecordProvider.Text(r?["member"])));
        ids.AddRange(actions.Select(a => CommunityRecordProvider.Text(a?["unit"])));
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var names = await Names.LoadAsync(db, ids, cancellationToken);
        var unit = DocumentContent.Text(c, "proposingUnit");
        return new MinutesDocument(
            view.Number, view.IssuedOn, Names.Of(names, view.CommunityId),
            DocumentContent.Text(c, "item") ?? "", DocumentContent.Text(c, "category"),
            Names.Of(names, DocumentContent.Text(c, "proposer")), unit is null ? null : Names.Of(names, unit),
            DocumentContent.Text(c, "format"), DocumentContent.Text(c, "meetingDate"), DocumentContent.Text(c, "place"),
            DocumentContent.Bool(c, "secret"),
            [.. attendance.Select(a => Names.Of(names, a))],
            [.. voted.Select(v => Names.Of(names, v))],
            [.. recusals.Select(r => new MinutesRecusal(
                Names.Of(names, CommunityRecordProvider.Text(r?["member"])), CommunityRecordProvider.Text(r?["reason"]) ?? "",
                r?["automatic"]?.GetValue<bool>() == true))],
            DocumentContent.Int(c, "eligible"), DocumentContent.Int(c, "participants"), DocumentContent.Totals(c["totals"]),
            DocumentContent.Text(c, "outcome"),
            [.. (c["rounds"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new MinutesRound(
                DocumentContent.Int(r, "round"), DocumentContent.Text(r, "outcome") ?? "", DocumentContent.Int(r, "margin"),
                DocumentContent.Totals(r["totals"]), r["closedAt"]?.ToString()))],
            DocumentContent.Text(c, "resolution"),
            [.. actions.OfType<JsonObject>().Select(a => new MinutesAction(
                Names.Of(names, DocumentContent.Text(a, "unit")), DocumentContent.Text(a, "description") ?? "", DocumentContent.Text(a, "dueDate") ?? ""))]);
    }
}
