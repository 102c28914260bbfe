using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Testing;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// The collection windows a caller may contribute to are gathered once per published set (issue 18): the answer must be
/// what walking every definition gives, and a newly published set must be gathered again, not served from the old one.
/// </summary>
public sealed class CollectionWindowsTests
{
    private static readonly WorkflowDefinition[] Shipped =
        [.. DefinitionReader.ReadDirectory(RepositoryPaths.Workflows).OrderBy(d => d.Id, StringComparer.Ordinal)];

    [Theory]
    [InlineData(RoleNames.UnitLiaison, "u-1")]
    [InlineData(RoleNames.Secretary, null)]
    [InlineData(RoleNames.CommitteeMember, null)]
    public void The_gathered_windows_answer_as_walking_every_definition_does(string role, string? unit)
    {
        var caller = CallerWith(role, unit);

        Assert.Equal(Walked(Shipped, caller), CollectionWindows.OpenTo(Shipped, caller));
    }

    [Fact]
    public void A_liaison_contributes_to_the_shipped_co_organisation_window()
    {
        Assert.Contains(CollectionWindows.OpenTo(Shipped, CallerWith(RoleNames.UnitLiaison, "u-1")), key => key.StartsWith("activity-co-organisation/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_published_set_is_gathered_again()
    {
        var liaison = CallerWith(RoleNames.UnitLiaison, "u-1");
        WorkflowDefinition[] withoutCollections = [.. Shipped.Where(d => !d.Activities.OfType<CollectActivity>().Any())];

        Assert.NotEmpty(CollectionWindows.OpenTo(Shipped, liaison));
        Assert.Empty(CollectionWindows.OpenTo(withoutCollections, liaison));
        Assert.NotEmpty(CollectionWindows.OpenTo(Shipped, liaison));
    }

    private static Caller CallerWith(string role, string? unit) =>
        new("p-1", "测试", "c-1", unit, new HashSet<string>([role], StringComparer.Ordinal), [], "zh");

    /// <summary>The walk every request used to make, kept here as the reference.</summary>
    private static List<string> Walked(IEnumerable<WorkflowDefinition> published, Caller caller) =>
    [
        .. from definition in published
           from collect in definition.Activities.OfType<CollectActivity>()
           let who = collect.Contributors
           where (who.Role is { } r && caller.Has(r))
               || (who.Unit is { } u && u != ParticipantSelector.SubmittingUnit && caller.LiaisonOfUnit == u)
               || (who.Member is { } m && m == caller.PersonId)
           select definition.Id + "/" + collect.Id,
    ];
}
