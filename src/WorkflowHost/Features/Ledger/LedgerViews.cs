using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Instances;

namespace WorkflowHost.Features.Ledger;

/// <summary>
/// One case of the ledger (台账): what it is about (the nominee or the title), for whom, where it stands, its reply numbers
/// and the steps now open with their deadlines.
/// </summary>
public sealed record LedgerRow(
    Guid Id,
    string Process,
    LocalizedText? ProcessName,
    string? Subject,
    string? Kind,
    LocalizedText? KindName,
    string CommunityId,
    string? CommunityName,
    UnitRef? Unit,
    string State,
    string? Result,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<string> ReplyNumbers,
    IReadOnlyList<LedgerStep> OpenSteps,
    bool Overdue,
    string Href);

public sealed record LedgerStep(string Activity, LocalizedText? Name, DateTimeOffset? DueAt, bool Overdue);

public sealed record LedgerPage(IReadOnlyList<LedgerRow> Items, int Page, int PageSize, int Total);
