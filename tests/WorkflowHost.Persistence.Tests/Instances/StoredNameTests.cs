using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>The stored words named in Entities are exactly what the store writes for the engine's enums (decision 61).</summary>
public sealed class StoredNameTests
{
    [Fact]
    public void Instance_statuses_are_stored_as_their_lower_case_names()
    {
        Assert.Equal(
            [InstanceRowStatus.Running, InstanceRowStatus.Completed, InstanceRowStatus.Withdrawn],
            Enum.GetValues<InstanceStatus>().Select(StoredName.Of));
    }

    [Fact]
    public void Assignee_kinds_are_stored_as_their_lower_case_names()
    {
        Assert.Equal(
            [AssigneeKind.Role, AssigneeKind.Unit, AssigneeKind.Person],
            Enum.GetValues<AssignmentKind>().Select(StoredName.Of));
    }
}
