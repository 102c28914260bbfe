using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// The outside world as the runner may see it during one step: the time the step happens at, who is who,
/// and the working-day calendar. All of it is data, which is what keeps the runner deterministic.
/// </summary>
public sealed record RunContext(DateTimeOffset Now, IParticipantDirectory Directory, IWorkingCalendar Calendar);

public sealed record DirectoryPerson(string Id, string? UnitId, IReadOnlySet<string> Roles, string Language = "zh-CN")
{
    public bool HasRole(string role) => Roles.Contains(role);
}

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
