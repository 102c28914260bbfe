using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Records;
using WorkflowHost.Persistence.Sealing;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// Every step makes an <c>EffectApplier</c>; most steps are votes, which add no rows, cancel no timers and issue nothing
/// (decision 187). Its own allocations, counted on one thread: what it makes before the first effect is itself and the
/// two lists every vote fills (journal events, voters' rows), not the collections for what a vote never has.
/// </summary>
public sealed class EffectApplierAllocationTests
{
    [Fact]
    public async Task An_applier_makes_only_what_every_step_fills()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(new SqliteTestDatabase());
        var id = await new Consultation(host).SubmitAsync();
        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.SingleAsync(i => i.Id == id, cancellation);
        var state = JsonSerializer.Deserialize(row.StateJson, EngineJson.State)!;
        var (keys, store, now) = (host.Services.GetRequiredService<StoreKeys>(), host.Services.GetRequiredService<ProcessStore>(), WorkflowCommands.StepTime(host.Time));
        Assert.NotNull(new EffectApplier(db, row, state, now, keys, store));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var applier = new EffectApplier(db, row, state, now, keys, store);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(applier.CommittedWithWrite);
        // 248 B measured; with three dictionaries and seven lists made up front it was 616 B.
        Assert.True(allocated <= 400, $"{allocated} bytes to make a step's applier");
    }
}
