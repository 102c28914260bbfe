namespace WorkflowHost.Persistence.Entities;

/// <summary>A shared facility (设施共享) a resident unit opens to community activities: a hall, a sports ground, a meeting room.</summary>
public sealed class Facility
{
    public required string Id { get; init; }

    public required string CommunityId { get; init; }

    /// <summary>The unit that owns it and may pledge it; null for the community's own.</summary>
    public string? OwnerUnitId { get; set; }

    public required string NameZh { get; set; }

    public required string NameEn { get; set; }

    public required string Kind { get; set; }

    public int? Capacity { get; set; }

    /// <summary>Bumped by every reservation: the update takes the row lock, so two steps reserving the facility queue up.</summary>
    public long LockVersion { get; set; }
}

/// <summary>Hours of a facility pledged to an activity. Active reservations of one facility never overlap.</summary>
public sealed class FacilityReservation
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required string FacilityId { get; init; }

    public required Guid InstanceId { get; init; }

    public required string ActivityId { get; init; }

    /// <summary>The contribution of the collection that made it.</summary>
    public required int ItemIndex { get; init; }

    public string? UnitId { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }

    public required string Status { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ReleasedAt { get; set; }
}

/// <summary>An in-service party member's registration (在职党员报到) with the community where they live.</summary>
public sealed class InServiceRegistration
{
    public required string PersonId { get; init; }

    public required string CommunityId { get; init; }

    public required string UnitId { get; set; }

    public required DateOnly RegisteredOn { get; set; }

    public string? ResidenceZh { get; set; }

    public string? ResidenceEn { get; set; }

    /// <summary>The identity number in masked form only (first 3 and last 4 characters), to tell namesakes apart.</summary>
    public string? MaskedIdNumber { get; set; }

    /// <summary>The party branch in the unit the member belongs to (所在支部).</summary>
    public string? Branch { get; set; }

    /// <summary>Contact phone given at registration; only ever shown to the office and the member.</summary>
    public string? Phone { get; set; }

    public string? Skills { get; set; }

    /// <summary>The service post categories the member would take, comma-separated (<c>InService.ServiceCategory</c>).</summary>
    public string? PreferredPosts { get; set; }

    /// <summary>The registration instance the office confirmed; null for registrations loaded from seeds.</summary>
    public Guid? InstanceId { get; set; }
}

/// <summary>One community activity an in-service member took part in: from the seed history or from an activity's summary.</summary>
public sealed class CommunityParticipation
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required string PersonId { get; init; }

    public required DateOnly Date { get; init; }

    public required string Title { get; init; }

    /// <summary>The activity co-organisation instance whose summary recorded it; null for history loaded from seeds.</summary>
    public Guid? InstanceId { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>How it was recorded: <c>InService.ParticipationSource</c> (the summary, the office's attendance, a check-in).</summary>
    public string Source { get; init; } = "summary";

    /// <summary>What the member did: <c>InService.ParticipationRole</c> (took part, or came as a pledged volunteer).</summary>
    public string Role { get; init; } = "participant";

    /// <summary>Who entered it: the office for attendance, the member for a check-in; null from a summary or the seeds.</summary>
    public string? RecordedBy { get; init; }
}

/// <summary>A comment on an instance (讨论意见), stored so the host can list a discussion; also in the journal.</summary>
public sealed class InstanceComment
{
    public required Guid InstanceId { get; init; }

    public required string CommentId { get; init; }

    public required string CommunityId { get; init; }

    public required string ActorId { get; init; }

    public string? BookmarkId { get; init; }

    public required string Text { get; init; }

    /// <summary>The comment's files as the engine stored them (a JSON array of references with name and SHA-256); null when none.</summary>
    public string? FilesJson { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// A numbered document as issued (a reply 意见回执, minutes 会议纪要): its canonical content is frozen here, and its verification
/// code is an HMAC of that content under the server key, so a copy can be checked and no one without the key can forge one.
/// </summary>
public sealed class IssuedDocument
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required string DocumentType { get; init; }

    public required string Series { get; init; }

    public required int Year { get; init; }

    public required string Number { get; init; }

    public required Guid InstanceId { get; init; }

    public required string ActivityId { get; init; }

    /// <summary>Canonical JSON (keys sorted, no whitespace) of the whole document: what the code covers.</summary>
    public required string ContentJson { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }
}

/// <summary>One line of a unit's co-building record (共驻共建): an activity it led, or a pledge it made and whether it was fulfilled.</summary>
public sealed class CoBuildingEntry
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required string UnitId { get; init; }

    public required Guid InstanceId { get; init; }

    public required string ActivityId { get; init; }

    /// <summary><c>lead</c> or <c>pledge</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>For a pledge: <c>facility</c>, <c>volunteers</c>, <c>money</c>, <c>equipment</c>.</summary>
    public string? Resource { get; init; }

    public bool? Fulfilled { get; init; }

    public required string Title { get; init; }

    public DateOnly? Date { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }
}

public static class ReservationStatus
{
    public const string Active = "active";
    public const string Released = "released";
}

public static class CoBuildingKind
{
    public const string Lead = "lead";
    public const string Pledge = "pledge";
}
