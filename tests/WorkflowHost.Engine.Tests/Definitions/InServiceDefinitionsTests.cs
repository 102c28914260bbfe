using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>What the in-service registration definitions promise, read from the files themselves.</summary>
public sealed class InServiceDefinitionsTests
{
    private static WorkflowDefinition Load(string id) =>
        DefinitionReader.Read($"{id}.json", File.ReadAllBytes(Path.Combine(RepositoryPaths.Workflows, $"{id}.json")));

    [Theory]
    [InlineData("in-service-registration", "in-service-member")]
    [InlineData("in-service-bulk-registration", "unit-liaison")]
    public void Only_the_office_confirming_puts_a_member_on_the_roster(string id, string startedBy)
    {
        var definition = Load(id);

        Assert.Equal([startedBy], definition.StartableBy);
        var into = Assert.Single(definition.Transitions, t => t.To == "register");
        Assert.Equal(("office-review", "confirm"), (into.From, into.Outcome));
        var review = Assert.IsType<HumanTaskActivity>(definition.GetActivity("office-review"));
        Assert.Equal("office", review.Assignee.Role);
        Assert.Equal("in-service-registration", Assert.IsType<RecordActivity>(definition.GetActivity("register")).Register);
    }
}
