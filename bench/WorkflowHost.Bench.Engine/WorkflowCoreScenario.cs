using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace WorkflowHost.Bench.Engine;

/// <summary>
/// The same scenario on WorkflowCore 3.22.0 with its in-memory persistence: one <c>WaitFor</c> event per step
/// (the office's acceptance, then each vote), counting in the workflow data, a reply number at the end.
/// The harness drives it as its events would really arrive: a step announces that the workflow is about to wait,
/// and only then is that step's event published (a member votes after the ballot has reached them). Publishing all
/// of a consultation's events up front made WorkflowCore match each event to a subscription created later, through
/// repeated scans of its event store: a cost the real use does not have.
/// </summary>
internal sealed class WorkflowCoreScenario : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IWorkflowHost _host;

    public static readonly TimeSpan ShortIdleTime = TimeSpan.FromMilliseconds(1);

    /// <summary>The idle time asked for; null when WorkflowCore's default is in effect.</summary>
    public TimeSpan? IdleTime { get; }

    /// <param name="idleTime">
    /// How long WorkflowCore's queue consumers sleep when they are idle or have as many items in hand as they may run
    /// (two on two cores); null keeps its default. A short one is its documented knob for throughput (<c>UseIdleTime</c>).
    /// </param>
    public WorkflowCoreScenario(TimeSpan? idleTime = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflow(options =>
        {
            if (idleTime is { } idle)
            {
                options.UseIdleTime(idle);
            }
        });
        _services = services.BuildServiceProvider();
        IdleTime = idleTime;
        _host = _services.GetRequiredService<IWorkflowHost>();
        _host.RegisterWorkflow<ConsultationWorkflow, ConsultationData>();
        _host.Start();
    }

    /// <summary>Runs <paramref name="count"/> consultations concurrently; returns the consent votes counted.</summary>
    public async Task<int> RunAsync(int count)
    {
        var runs = Enumerable.Range(0, count).Select(_ => DriveAsync()).ToList();
        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(5));
        return results.Sum(r => r.Consent);
    }

    private async Task<ConsultationData> DriveAsync()
    {
        var run = new Run();
        var key = Guid.NewGuid().ToString("N");
        Runs[key] = run;
        try
        {
            var id = await _host.StartWorkflow(ConsultationWorkflow.Name, new ConsultationData { RunKey = key });
            for (var step = 0; step <= Scenario.Votes; step++)
            {
                var waiting = await run.Waiting.Reader.ReadAsync();
                if (waiting != step)
                {
                    throw new InvalidOperationException($"Consultation {id} waits for step {waiting}, expected {step}.");
                }

                await (step == 0
                    ? _host.PublishEvent("office-accepts", id, "accept")
                    : _host.PublishEvent($"vote-{step - 1}", id, Scenario.ChoiceOf(step - 1)));
            }

            return await run.Done.Task;
        }
        finally
        {
            Runs.TryRemove(key, out _);
        }
    }

    /// <summary>One consultation's link back to its driver: the steps it reached, and its end.</summary>
    internal sealed class Run
    {
        public Channel<int> Waiting { get; } = Channel.CreateUnbounded<int>();

        public TaskCompletionSource<ConsultationData> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal static readonly ConcurrentDictionary<string, Run> Runs = new();

    public async ValueTask DisposeAsync()
    {
        _host.Stop();
        await _services.DisposeAsync();
    }
}

public sealed class ConsultationData
{
    public string RunKey { get; set; } = "";

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
        var step = builder.StartWith(context => Announce(context, 0))
            .WaitFor("office-accepts", (_, context) => context.Workflow.Id, _ => DateTime.MinValue)
            .Output(data => data.Accepted, s => "accept".Equals(s.EventData))
            .Then(_ => ExecutionResult.Next());
        for (var v = 0; v < Scenario.Votes; v++)
        {
            var next = v + 1;
            step = step.Then(context => Announce(context, next))
                .WaitFor($"vote-{v}", (_, context) => context.Workflow.Id, _ => DateTime.MinValue)
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
            if (WorkflowCoreScenario.Runs.TryGetValue(data.RunKey, out var run))
            {
                run.Done.TrySetResult(data);
            }

            return ExecutionResult.Next();
        });
    }

    /// <summary>Tells the driver the workflow is about to wait for step <paramref name="index"/>'s event.</summary>
    private static ExecutionResult Announce(IStepExecutionContext context, int index)
    {
        if (WorkflowCoreScenario.Runs.TryGetValue(((ConsultationData)context.Workflow.Data).RunKey, out var run))
        {
            run.Waiting.Writer.TryWrite(index);
        }

        return ExecutionResult.Next();
    }
}
