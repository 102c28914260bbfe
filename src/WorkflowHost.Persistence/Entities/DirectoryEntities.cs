namespace WorkflowHost.Persistence.Entities;

/// <summary>A community (社区): the tenant every other row belongs to.</summary>
public sealed class Community
{
    public required string Id { get; init; }

    public required string NameZh { get; set; }

    public required string NameEn { get; set; }

    public required string StreetZh { get; set; }

    public required string StreetEn { get; set; }
}

/// <summary>A resident unit (驻区单位).</summary>
public sealed class ResidentUnit
{
    public required string Id { get; init; }

    public required string CommunityId { get; init; }

    public required string NameZh { get; set; }

    public required string NameEn { get; set; }

    public required string Kind { get; set; }
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
}

public sealed class PersonRole
{
    public required string PersonId { get; init; }

    public required string Role { get; init; }
}
