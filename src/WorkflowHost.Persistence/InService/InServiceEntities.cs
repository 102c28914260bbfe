namespace WorkflowHost.Persistence.InService;

/// <summary>
/// A registration that has ended: the member moved (a new registration replaced it) or left. The current registration stays
/// one row per person (<see cref="Entities.InServiceRegistration"/>), so "one community at a time" holds by its key.
/// </summary>
public sealed class EndedRegistration
{
    public required Guid Id { get; init; }

    public required string PersonId { get; init; }

    public required string CommunityId { get; init; }

    public required string UnitId { get; init; }

    public required DateOnly RegisteredOn { get; init; }

    public required DateOnly EndedOn { get; init; }

    public string? ResidenceZh { get; init; }

    /// <summary>The registration instance that replaced it; null when it ended otherwise.</summary>
    public Guid? EndedByInstanceId { get; init; }
}

/// <summary>A service post (服务岗位) or a resident's small wish (微心愿) the office publishes for members to claim.</summary>
public sealed class ServiceOffer
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    /// <summary><see cref="ServiceOfferKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>For a post: <see cref="ServiceCategory"/>; for a wish: null.</summary>
    public string? Category { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    /// <summary>How many members may claim it (a wish: usually 1).</summary>
    public required int Places { get; init; }

    /// <summary>
    /// Claims holding a place now. Raised only by a conditional update (<c>Claimed &lt; Places</c>), so two claims racing
    /// for the last place cannot both win on either database (decision 0122).
    /// </summary>
    public int Claimed { get; set; }

    /// <summary>The date by which a claim must be fulfilled.</summary>
    public required DateOnly DueOn { get; init; }

    public required string PublishedBy { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }
}

/// <summary>A member's claim on a post or wish, and, once the office confirms it, the hours served.</summary>
public sealed class ServiceClaim
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required Guid OfferId { get; init; }

    public required string PersonId { get; init; }

    /// <summary><see cref="ServiceClaimStatus"/>.</summary>
    public required string Status { get; set; }

    public required DateTimeOffset ClaimedAt { get; init; }

    public required DateOnly DueOn { get; init; }

    /// <summary>Minutes served, as the office confirmed (whole minutes keep sums exact on SQLite, which has no decimal).</summary>
    public int? MinutesServed { get; set; }

    /// <summary>The day served: what "hours this year" counts by.</summary>
    public DateOnly? ServedOn { get; set; }

    public string? ConfirmedBy { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>When the overdue sweep reminded the member; the office is told one working day later.</summary>
    public DateTimeOffset? MemberRemindedAt { get; set; }

    public DateTimeOffset? OfficeRemindedAt { get; set; }
}

public static class ServiceOfferKind
{
    public const string Post = "post";
    public const string Wish = "wish";

    public static readonly IReadOnlyList<string> All = [Post, Wish];
}

/// <summary>The kinds of service post the office publishes (政策宣传、治安巡逻、文明劝导、关爱帮扶).</summary>
public static class ServiceCategory
{
    public const string PolicyOutreach = "policy-outreach";
    public const string SafetyPatrol = "safety-patrol";
    public const string CivilityGuidance = "civility-guidance";
    public const string CareAndHelp = "care-and-help";

    public static readonly IReadOnlyList<string> All = [PolicyOutreach, SafetyPatrol, CivilityGuidance, CareAndHelp];
}

public static class ServiceClaimStatus
{
    /// <summary>Holds a place; waiting for the member to serve and the office to confirm.</summary>
    public const string Claimed = "claimed";

    /// <summary>The office confirmed it with the hours served.</summary>
    public const string Completed = "completed";

    /// <summary>The office confirmed it was not done; the place is given back.</summary>
    public const string NotFulfilled = "not-fulfilled";
}
