namespace WorkflowHost.Engine.Runtime;

/// <summary>People of one community, their roles and units.</summary>
public interface IParticipantDirectory
{
    DirectoryPerson? Find(string personId);

    /// <summary>Everyone holding <paramref name="role"/>, in a stable order.</summary>
    IReadOnlyList<DirectoryPerson> InRole(string role);

    /// <summary>The liaisons of a unit, in a stable order.</summary>
    IReadOnlyList<DirectoryPerson> LiaisonsOf(string unitId);
}
