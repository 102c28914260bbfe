namespace WorkflowHost.Persistence.InService;

/// <summary>
/// A check-in the office opened for one activity: a short code shown at the event, valid from <see cref="OpensAt"/> until
/// <see cref="ClosesAt"/>. Members who enter it in that window are counted as present (decision 0127).
/// </summary>
public sealed class ActivityCheckIn
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    /// <summary>The activity co-organisation instance; null for a check-in loaded from the seeded history.</summary>
    public Guid? InstanceId { get; init; }

    /// <summary>The activity's title and date, copied when opened so the participation log needs no instance read.</summary>
    public required string Title { get; init; }

    public required DateOnly Date { get; init; }

    /// <summary>Six digits: typed on a phone at the event; never shared by two check-ins open at the same time.</summary>
    public required string Code { get; init; }

    public required DateTimeOffset OpensAt { get; init; }

    public required DateTimeOffset ClosesAt { get; init; }

    public required string OpenedBy { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }
}

/// <summary>A wrong check-in code a member entered: counted to hold back guessing (decision 0127).</summary>
public sealed class CheckInFailure
{
    public required Guid Id { get; init; }

    public required string PersonId { get; init; }

    public required DateTimeOffset At { get; init; }
}

public static class ParticipationSource
{
    /// <summary>Listed in the activity's summary by its lead organiser (the <c>participation</c> register).</summary>
    public const string Summary = "summary";

    /// <summary>Entered by the office on the activity's attendance page.</summary>
    public const string Office = "office";

    /// <summary>The member checked in with the activity's code.</summary>
    public const string CheckIn = "check-in";

    public static readonly IReadOnlyList<string> All = [Summary, Office, CheckIn];
}

public static class ParticipationRole
{
    public const string Participant = "participant";

    /// <summary>Came as one of the volunteers a unit pledged for the activity (认领志愿者).</summary>
    public const string Volunteer = "volunteer";

    public static readonly IReadOnlyList<string> All = [Participant, Volunteer];
}

/// <summary>
/// An attendance entry the office removed (a wrong tick, a check-in by someone not there): what it said, who removed it,
/// when and why (decision 139). The entry itself is gone, so every count drops it and the member may be recorded again;
/// this row is its journal.
/// </summary>
public sealed class AttendanceRemoval
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required Guid InstanceId { get; init; }

    public required string PersonId { get; init; }

    public required DateOnly Date { get; init; }

    public required string Title { get; init; }

    /// <summary>How the removed entry was recorded, and as what (<see cref="ParticipationSource"/>, <see cref="ParticipationRole"/>).</summary>
    public required string Source { get; init; }

    public required string Role { get; init; }

    public string? RecordedBy { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    public required string RemovedBy { get; init; }

    public required DateTimeOffset RemovedAt { get; init; }

    public required string Reason { get; init; }
}
