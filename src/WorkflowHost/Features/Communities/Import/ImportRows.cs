namespace WorkflowHost.Features.Communities.Import;

/// <summary>A refused cell or row: the sheet (or "CSV"), the row or line, the column's header as the file has it, and why.</summary>
public sealed record ImportError(string Sheet, int Row, string Column, string Reason);

/// <summary>Where a row came from, and its headers as the file wrote them (so an error names the column the reader sees).</summary>
public sealed record RowSource(string Sheet, int Row, IReadOnlyDictionary<string, string> Headers)
{
    public ImportError Error(string columnKey, string reason) =>
        new(Sheet, Row, Headers.TryGetValue(columnKey, out var header) ? header : columnKey, reason);
}

public sealed record UnitRow(RowSource Source, UnitRequest Request)
{
    public string Id => Request.Id!;
}

public sealed record PersonRow(RowSource Source, PersonRequest Request, IReadOnlyList<string> Roles, DateOnly? RolesFrom)
{
    public string Id => Request.Id!;
}

public sealed record MemberRow(RowSource Source, int Term, DateOnly StartsOn, string PersonId, string Kind, string? UnitId);

/// <summary>What a file holds once every row has been read and checked on its own.</summary>
public sealed record ImportContent(IReadOnlyList<UnitRow> Units, IReadOnlyList<PersonRow> People, IReadOnlyList<MemberRow> Committee);
