namespace WorkflowHost.Features.Communities.Import;

/// <summary>What happens to one record of the file: <c>added</c>, <c>changed</c> (with the columns that change) or <c>unchanged</c>.</summary>
public sealed record ImportRowReport(string Sheet, int Row, string Table, string Id, string Outcome, IReadOnlyList<string> Changes);

/// <summary>
/// A preview (nothing written) or a commit: each record's outcome, the counts, and the journal lines the commit wrote
/// (zero when the file changes nothing: the same file imported twice).
/// </summary>
public sealed record ImportReport(bool Committed, int Added, int Changed, int Unchanged, int JournalEntries, IReadOnlyList<ImportRowReport> Rows);

/// <summary>The answer of an import: the file cannot be read (<see cref="FileProblem"/>), rows are refused, or a report.</summary>
public sealed record ImportOutcome(string? FileProblem, IReadOnlyList<ImportError> Errors, ImportReport? Report)
{
    public bool Succeeded => Report is not null;
}

public static class ImportOutcomes
{
    public const string Added = "added";
    public const string Changed = "changed";
    public const string Unchanged = "unchanged";
}
