using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace WorkflowHost.Bench.Engine;

/// <summary>
/// The same scenario on WorkflowCore 3.22.0 with its in-memory persistence: one <c>WaitFor</c> event per step
/// (the office's acceptance, then each vote), counting in the workflow data, a reply number at the end.
/// Each vote has its own event name so an event published early waits for its own subscription.
/// </summary>
internal sealed class WorkflowCoreScenario : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IWorkflowHost _host;

    public WorkflowCoreScenario()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflow();
        _services = services.BuildServiceProvider();
        _host = _services.GetRequiredService<IWorkflowHost>();
        _host.RegisterWorkflow<ConsultationWorkflow, ConsultationData>();
        _host.Start();
    }

    /// <summary>Runs <paramref name="count"/> consultations concurrently; returns the consent votes counted.</summary>
    public async Task<int> RunAsync(int count)
    {
        var runs = new List<(string Id, TaskCompletionSource<ConsultationData> Done)>();
        for (var i = 0; i < count; i++)
        {
            var done = new TaskCompletionSource<ConsultationData>(TaskCreationOptions.RunContinuationsAsynchronously);
            var id = await _host.StartWorkflow(ConsultationWorkflow.Name, new ConsultationData());
            Completions[id] = done;
            runs.Add((id, done));
        }

        foreach (var (id, _) in runs)
        {
            await _host.PublishEvent("office-accepts", id, "accept");
            for (var v = 0; v < Scenario.Votes; v++)
            {
                await _host.PublishEvent($"vote-{v}", id, Scenario.ChoiceOf(v));
            }
        }

        var results = await Task.WhenAll(runs.Select(r => r.Done.Task)).WaitAsync(TimeSpan.FromMinutes(5));
        foreach (var (id, _) in runs)
        {
            Completions.TryRemove(id, out _);
        }

        return results.Sum(r => r.Consent);
    }

    internal static readonly ConcurrentDictionary<string, TaskCompletionSource<ConsultationData>> Completions = new();

    public async ValueTask DisposeAsync()
    {
        _host.Stop();
        await _services.DisposeAsync();
    }
}

public sealed class ConsultationData
{
    public bool Accepted { get; set; }

    public int Consent { get; set; }

    public int Object { get; set; }

    public string? LastChoice { get; set; }

    public string? Outcome { get; set; }

    public string? ReplyNumber { get; set; }
}

public sealed class ConsultationWorkflow : IWorkflow<ConsultationData>
{
    public const string Name = "consultation";

    private static long _replyNumbers;

    public string Id => Name;

    public int Version => 1;

    public void Build(IWorkflowBuilder<ConsultationData> builder)
    {
        var step = builder.StartWith(_ => ExecutionResult.Next())
            .WaitFor("office-accepts", (_, context) => context.Workflow.Id, _ => DateTime.MinValue)
            .Output(data => data.Accepted, s => "accept".Equals(s.EventData))
            .Then(_ => ExecutionResult.Next());
        for (var v = 0; v < Scenario.Votes; v++)
        {
            step = step.WaitFor($"vote-{v}", (_, context) => context.Workflow.Id, _ => DateTime.MinValue)
                .Output(data => data.LastChoice, s => (string)s.EventData)
                .Then(context =>
                {
                    var data = (ConsultationData)context.Workflow.Data;
                    if (data.LastChoice == "consent") { data.Consent++; } else { data.Object++; }
                    return ExecutionResult.Next();
                });
        }

        step.Then(context =>
        {
            var data = (ConsultationData)context.Workflow.Data;
            data.Outcome = data.Consent * 2 > Scenario.Votes ? "passed" : "rejected";
            data.ReplyNumber = $"2026-{Interlocked.Increment(ref _replyNumbers):0000}";
            if (WorkflowCoreScenario.Completions.TryGetValue(context.Workflow.Id, out var done))
            {
                done.TrySetResult(data);
            }

            return ExecutionResult.Next();
        });
    }
}
