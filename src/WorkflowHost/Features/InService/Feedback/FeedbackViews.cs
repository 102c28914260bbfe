using WorkflowHost.Persistence.InService.Feedback;

namespace WorkflowHost.Features.InService.Feedback;

public sealed record ReviewMemberView(
    string Person, string Name, string Unit, string UnitName, decimal Hours, int Posts, int Wishes, int Activities, string? Rating, string? Comment, string? LetterNumber)
{
    public static ReviewMemberView Of(ReviewMember m) =>
        new(m.PersonId, m.NameZh, m.UnitId, m.UnitNameZh, m.Year.Hours, m.Year.Posts, m.Year.Wishes, m.Year.Activities, m.Rating, m.Comment, m.LetterNumber);
}

/// <summary>A year's review: <c>open</c> while the office may still save evaluations; the members with their year's figures.</summary>
public sealed record ReviewView(int Year, Guid Instance, DateTimeOffset OpenedAt, DateTimeOffset? LettersIssuedAt, bool Open, IReadOnlyList<ReviewMemberView> Members)
{
    public static ReviewView Of(ReviewSheet sheet) =>
        new(sheet.Year, sheet.InstanceId, sheet.OpenedAt, sheet.LettersIssuedAt, sheet.OpenStep is not null, [.. sheet.Members.Select(ReviewMemberView.Of)]);
}
