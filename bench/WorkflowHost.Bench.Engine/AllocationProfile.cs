using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Bench.Engine;

/// <summary>
/// Where a vote's allocations go: bytes allocated by one whole vote step, and by the parts of it that copy the state,
/// measured on this thread with <see cref="GC.GetAllocatedBytesForCurrentThread"/> (exact, unaffected by machine load).
/// </summary>
internal static class AllocationProfile
{
    public static int Run()
    {
        var scenario = new OwnEngineScenario(secret: false);
        for (var i = 0; i < 50; i++)
        {
            scenario.RunOne();
        }

        var perConsultation = Measure(200, () => scenario.RunOne());
        var state = scenario.StateAtBallot(votes: 6);
        var json = JsonSerializer.SerializeToUtf8Bytes(state, EngineJson.Options);
        var vote = Measure(2000, () => scenario.VoteOnce(state, 6));
        var serialize = Measure(2000, () => JsonSerializer.SerializeToUtf8Bytes(state, EngineJson.Options));
        var roundTrip = Measure(2000, () => JsonSerializer.Deserialize<InstanceState>(JsonSerializer.SerializeToUtf8Bytes(state, EngineJson.Options), EngineJson.Options));
        var variables = Measure(2000, () => state.Variables.DeepClone());
        var input = Measure(2000, () => state.Input.DeepClone());
        var inputText = Measure(2000, () => JsonNode.Parse(state.Input.ToJsonString(EngineJson.Options)));
        var variablesText = Measure(2000, () => JsonNode.Parse(state.Variables.ToJsonString(EngineJson.Options)));

        Console.WriteLine($"state at the 7th vote: {json.Length:N0} bytes of JSON");
        Console.WriteLine($"one consultation (start, accept, 13 votes): {perConsultation:N0} B, {perConsultation / Scenario.Votes:N0} B per vote");
        Console.WriteLine($"one vote step (WorkflowRunner.Resume):      {vote:N0} B");
        Console.WriteLine($"  serialize the state:                      {serialize:N0} B");
        Console.WriteLine($"  JSON round trip of the state:             {roundTrip:N0} B");
        Console.WriteLine($"  Variables.DeepClone():                    {variables:N0} B");
        Console.WriteLine($"  Input.DeepClone():                        {input:N0} B");
        Console.WriteLine($"  Input through its text:                   {inputText:N0} B");
        Console.WriteLine($"  Variables through their text:             {variablesText:N0} B");
        return 0;
    }

    private static long Measure(int times, Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < times; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / times;
    }
}
