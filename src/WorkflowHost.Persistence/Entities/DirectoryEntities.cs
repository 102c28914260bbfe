namespace WorkflowHost.Persistence.Entities;

/// <summary>A community (社区): the tenant every other row belongs to.</summary>
public sealed class Community
{
    public required string Id { get; init; }

    public required string NameZh { get; set; }

    public required string NameEn { get; set; }

    public required string StreetZh { get; set; }

    public required string StreetEn { get; set; }

    /// <summary>The district (区) the street belongs to; the district organisation department reads every community of it.</summary>
    public string DistrictZh { get; set; } = "";

    public string DistrictEn { get; set; } = "";

    /// <summary>
    /// Raised by one in every directory change, in the change's transaction: every host's directory cache compares it
    /// with the stamp it loaded, so an edit is seen at once on every host sharing the database (decision 110).
    /// </summary>
    public long DirectoryVersion { get; set; }
}

/// <summary>A resident unit (驻区单位).</summary>
public sealed class ResidentUnit
{
    public required string Id { get; init; }

    public required string CommunityId { get; init; }

    public required string NameZh { get; set; }

    public required string NameEn { get; set; }

    public required string Kind { get; set; }

    /// <summary>When the unit joined the community's co-building (null for units seeded before this was recorded).</summary>
    public DateOnly? JoinedOn { get; set; }

    /// <summary>When its membership ended; an ended unit keeps its history and submits nothing new.</summary>
    public DateOnly? LeftOn { get; set; }

    /// <summary>The co-building agreement (共驻共建协议): when it was signed and its text.</summary>
    public DateOnly? AgreementSignedOn { get; set; }

    public string? AgreementText { get; set; }

    /// <summary>
    /// How many in-service party members the unit says it has in all (在职党员总数), the denominator of its registration rate;
    /// null until the unit gives it, and then no rate is shown.
    /// </summary>
    public int? InServiceMembers { get; set; }

    /// <summary>Optimistic concurrency: an edit names the version it read, a stale one is answered 409.</summary>
    public int Version { get; set; } = 1;
}

public sealed class Person
{
    public required string Id { get; init; }

    public required string CommunityId { get; init; }

    public required string NameZh { get; set; }

    public required string NameEn { get; set; }

    public string? UnitId { get; set; }

    public string? TitleZh { get; set; }

    public string? TitleEn { get; set; }

    public string? Email { get; set; }

    /// <summary>Mobile number for SMS reminders (E.164 or 11 digits); only ever logged masked.</summary>
    public string? Phone { get; set; }

    public string Language { get; set; } = "zh-CN";

    public List<PersonRole> Roles { get; init; } = [];

    /// <summary>Set when an administrator deactivates the person: they keep their history, hold no role and cannot sign in.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    /// <summary>Optimistic concurrency: an edit names the version it read, a stale one is answered 409.</summary>
    public int Version { get; set; } = 1;
}

/// <summary>A role held now. Its dated history (from, to) is in <see cref="RolePeriod"/>; ending a role removes this row.</summary>
public sealed class PersonRole
{
    public required string PersonId { get; init; }

    public required string Role { get; init; }
}
