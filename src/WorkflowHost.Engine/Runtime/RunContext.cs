using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// The outside world as the runner may see it during one step: the time the step happens at, who is who,
/// and the working-day calendar. All of it is data, which is what keeps the runner deterministic.
/// <paramref name="Unsealed"/> holds the choices cast so far on a secret ballot, unsealed by the store (decision 91) only
/// for a step that closes it: a step that must count a ballot it does not hold throws <see cref="SealedChoicesNeededException"/>
/// and the store runs it again with them (decision 169).
/// <paramref name="Attachments"/> holds the uploads the step may refer to in a <c>file</c> field or a comment, looked up by the store.
/// </summary>
public sealed record RunContext(
    DateTimeOffset Now, IParticipantDirectory Directory, IWorkingCalendar Calendar, UnsealedChoices? Unsealed = null, Inputs.IAttachmentCatalog? Attachments = null);

/// <summary>The choices of secret ballots cast before this step, per ballot bookmark, in no particular order and with no voter.</summary>
public sealed class UnsealedChoices(IReadOnlyDictionary<string, IReadOnlyList<string>> byBookmark)
{
    public static readonly UnsealedChoices None = new(new Dictionary<string, IReadOnlyList<string>>());

    public IReadOnlyList<string> For(string bookmarkId) => byBookmark.GetValueOrDefault(bookmarkId) ?? [];

    /// <summary>Whether the store handed in this ballot's choices (possibly none), as opposed to not having loaded them.</summary>
    public bool Holds(string bookmarkId) => byBookmark.ContainsKey(bookmarkId);
}

public sealed record DirectoryPerson(string Id, string? UnitId, IReadOnlySet<string> Roles, string Language = "zh-CN")
{
    public bool HasRole(string role) => Roles.Contains(role);

    /// <summary>请假: the days the person is away and who deputises (代理) for them, if they set any.</summary>
    public PersonAbsence? Absence { get; init; }

    public bool IsAwayOn(DateOnly day) => Absence is { } away && away.FirstDay <= day && day <= away.LastDay;
}

/// <summary>A person's leave, both days included in the community's calendar, with an optional deputy.</summary>
public sealed record PersonAbsence(DateOnly FirstDay, DateOnly LastDay, string? DeputyId);

/// <summary>A directory held in memory; the store builds one per community, tests build their own.</summary>
public sealed class ParticipantDirectory : IParticipantDirectory
{
    private readonly Dictionary<string, DirectoryPerson> _byId;
    private readonly IReadOnlyList<DirectoryPerson> _ordered;

    public ParticipantDirectory(IEnumerable<DirectoryPerson> people)
    {
        _ordered = [.. people.OrderBy(p => p.Id, StringComparer.Ordinal)];
        _byId = _ordered.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public DirectoryPerson? Find(string personId) => _byId.GetValueOrDefault(personId);

    public IReadOnlyList<DirectoryPerson> InRole(string role) => [.. _ordered.Where(p => p.HasRole(role))];

    public IReadOnlyList<DirectoryPerson> LiaisonsOf(string unitId) =>
        [.. _ordered.Where(p => p.UnitId == unitId && p.HasRole(RoleNames.UnitLiaison))];
}
