namespace WorkflowHost.Persistence.InService.Feedback;

/// <summary>
/// A community's annual review of its in-service members (年度反馈), one row per community and year. The row is inserted by
/// the review instance's first step, in the same transaction, and its key refuses a second one: two hosts opening the year
/// together end with one review (decision 0124).
/// </summary>
public sealed class InServiceReview
{
    public required string CommunityId { get; init; }

    public required int Year { get; init; }

    /// <summary>The <c>in-service-annual-feedback</c> instance that runs the review.</summary>
    public required Guid InstanceId { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>When the feedback letters went out; null while the office is still reviewing.</summary>
    public DateTimeOffset? LettersIssuedAt { get; set; }
}

/// <summary>The office's evaluation of one registered member's year, and the letter that reported it to the unit.</summary>
public sealed class InServiceEvaluation
{
    public required string CommunityId { get; init; }

    public required int Year { get; init; }

    public required string PersonId { get; init; }

    /// <summary>The unit the member was registered for when evaluated: the letter goes to its party organisation.</summary>
    public required string UnitId { get; set; }

    /// <summary><see cref="EvaluationRating"/>.</summary>
    public required string Rating { get; set; }

    public string? Comment { get; set; }

    public required Guid InstanceId { get; init; }

    public required string SavedBy { get; set; }

    public required DateTimeOffset SavedAt { get; set; }

    /// <summary>The feedback letter (反馈函) that reported it; null until the letters are issued.</summary>
    public string? LetterNumber { get; set; }
}

/// <summary>The three evaluations the office gives (优秀、合格、基本合格), as stored words.</summary>
public static class EvaluationRating
{
    public const string Excellent = "excellent";
    public const string Competent = "competent";
    public const string BasicallyCompetent = "basically-competent";

    public static readonly IReadOnlyList<string> All = [Excellent, Competent, BasicallyCompetent];
}
