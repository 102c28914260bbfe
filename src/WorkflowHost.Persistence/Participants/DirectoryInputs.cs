namespace WorkflowHost.Persistence.Participants;

/// <summary>A resident unit as an administrator enters it. Validated by the host (FluentValidation) before it gets here.</summary>
public sealed record UnitInput(
    string NameZh,
    string NameEn,
    string Kind,
    DateOnly JoinedOn,
    DateOnly? AgreementSignedOn = null,
    string? AgreementText = null,
    int? InServiceMembers = null);

/// <summary>A person as an administrator enters them; <see cref="UnitId"/> is required for a unit liaison.</summary>
public sealed record PersonInput(
    string NameZh,
    string NameEn,
    string? UnitId,
    string? TitleZh,
    string? TitleEn,
    string? Email,
    string? Phone,
    string Language);

/// <summary>One member of a new committee term: full-time (no unit) or part-time (from a resident unit).</summary>
public sealed record TermMemberInput(string PersonId, string Kind, string? UnitId);

/// <summary>A new term (届) that replaces the current one on <see cref="StartsOn"/>.</summary>
public sealed record TermInput(int Number, DateOnly StartsOn, IReadOnlyList<TermMemberInput> Members);

/// <summary>How a directory command ended, for the host to answer 200/201, 400, 404 or 409.</summary>
public enum DirectoryOutcome
{
    Done,
    Invalid,
    NotFound,
    Conflict,
}

public sealed record DirectoryResult(DirectoryOutcome Outcome, string? Message = null, string? Field = null, int? Version = null)
{
    public static readonly DirectoryResult Ok = new(DirectoryOutcome.Done);

    public bool Succeeded => Outcome == DirectoryOutcome.Done;

    public static DirectoryResult Invalid(string field, string message) => new(DirectoryOutcome.Invalid, message, field);

    public static DirectoryResult NotFound(string message) => new(DirectoryOutcome.NotFound, message);

    public static DirectoryResult Conflict(string message) => new(DirectoryOutcome.Conflict, message);
}
