using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>
/// <see cref="DataMap.ViewOf"/>: the instance data the activities read, also used by the store to read a lookup's
/// parameters from a stored state (decision 145), so both must see the same paths.
/// </summary>
public sealed class DataMapTests
{
    private static InstanceState State() => new()
    {
        InstanceId = Guid.Parse("01939c1e-0000-7000-8000-000000000002"),
        CommunityId = "binhe",
        DefinitionId = "promotion-consultation",
        DefinitionHash = "abc",
        Initiator = new Participant("p-liaison-gao", "unit-housing-bureau"),
        Input = new JsonObject { ["nomineeName"] = " 周立新 ", ["kind"] = "promotion" },
        Variables = new JsonObject { ["repeat-check"] = new JsonObject { ["count"] = 2 } },
    };

    [Fact]
    public void A_lookups_parameters_resolve_against_the_view_as_the_activity_reads_them()
    {
        var parameters = DataMap.Resolve(DataMap.ViewOf(State()), new Dictionary<string, string>
        {
            ["nominee"] = "input.nomineeName", ["kind"] = "input.kind", ["unit"] = "initiator.unitId", ["seen"] = "activities.repeat-check.count",
            ["missing"] = "input.nothing",
        });

        Assert.Equal((" 周立新 ", "promotion", "unit-housing-bureau", 2), (parameters["nominee"]!.GetValue<string>(), parameters["kind"]!.GetValue<string>(),
            parameters["unit"]!.GetValue<string>(), parameters["seen"]!.GetValue<int>()));
        Assert.Null(parameters["missing"]);
    }

    [Fact]
    public void The_view_is_a_copy_changing_it_leaves_the_state_as_it_was()
    {
        var state = State();

        var view = DataMap.ViewOf(state);
        view["input"]!["nomineeName"] = "张三";
        view["activities"]!["repeat-check"]!["count"] = 9;

        Assert.Equal((" 周立新 ", 2), (state.Input["nomineeName"]!.GetValue<string>(), state.Variables["repeat-check"]!["count"]!.GetValue<int>()));
    }
}
