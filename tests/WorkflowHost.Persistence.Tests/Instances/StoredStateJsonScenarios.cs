using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Journal;
using WorkflowHost.Persistence.Queries;
using WorkflowHost.Persistence.Sealing;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// The step reads its state as the stored UTF-8 bytes and parses and writes it with source-generated metadata (decision
/// 163). For real states of the three processes, after every step (open and secret ballots, mid-run and ended): the
/// bytes read are the text's UTF-8, both paths read them to a state that writes back the stored text byte for byte, the
/// column stays text, and every journal still verifies.
/// </summary>
public abstract class StoredStateJsonScenarios
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    protected abstract bool Sqlite { get; }

    [Fact]
    public async Task Every_state_the_three_processes_store_reads_back_and_writes_the_same_bytes_on_both_paths()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new ProcessDriver(host);
        var checkedStates = 0;
        async Task Check(Guid id) { await CheckStoredAsync(host, id); checkedStates++; }

        // Promotion consultation, open ballot, to its end.
        var consultation = new Consultation(host);
        var promotion = await consultation.SubmitAsync();
        await Check(promotion);
        var ballot = await consultation.AcceptAsync(promotion);
        await Check(promotion);
        foreach (var voter in await consultation.EligibleAsync())
        {
            if (!await flow.IsWaitingAtAsync(promotion, "committee-ballot"))
            {
                break;
            }

            Assert.True((await consultation.VoteAsync(promotion, ballot, voter, "consent")).Succeeded);
            await Check(promotion);
        }

        Assert.NotEqual("running", (await flow.SnapshotAsync(promotion)).Row.Status);

        // Joint affairs discussion, discussed online and voted secretly, with comments; then to its resolution.
        var affairs = await flow.StartAsync("joint-affairs-discussion", "p-liaison-han", new JsonObject
        {
            ["title"] = "新华路小学周边上下学时段交通秩序 <\"&'>",
            ["category"] = "community-management",
            ["description"] = "上下学时段校门口车辆拥堵，存在安全隐患。\n第二行\t\\",
            ["proposal"] = "派出所增派警力，学校错峰放学。😀",
        });
        await Check(affairs);
        await flow.CompleteAsync(affairs, await flow.OpenAsync(affairs, "place-on-agenda"), ProcessDriver.OfficeXie, "schedule",
            new JsonObject { ["format"] = "online", ["secretBallot"] = true });
        await Check(affairs);
        await flow.SendAsync(affairs, new AddComment("p-member-zhao", "派出所可在7:30-8:10安排警力。"));
        await Check(affairs);
        await flow.AdvanceAndFireAsync(affairs, new DateTimeOffset(2026, 12, 2, 17, 30, 0, Shanghai));
        var secretBallot = await flow.OpenAsync(affairs, "committee-ballot");
        await Check(affairs);
        var eligible = (await flow.CommitteeAsync()).Where(m => m != "p-member-feng").ToList();
        await flow.VoteAsync(affairs, secretBallot, eligible.Take(3), "object");
        await Check(affairs);
        await flow.VoteAsync(affairs, secretBallot, eligible.Skip(3), "consent");
        await Check(affairs);

        // Activity co-organisation: pledges, the window closed, approved.
        var activity = await flow.StartAsync("activity-co-organisation", "p-liaison-han", new JsonObject
        {
            ["title"] = "社区邻里运动会", ["date"] = "2026-12-12", ["startTime"] = "09:00", ["endTime"] = "12:00", ["place"] = "新华路小学操场",
            ["description"] = "驻区单位与居民共同参加的趣味运动会。", ["needsVenue"] = true, ["volunteersNeeded"] = 10, ["budget"] = 8000,
        });
        await Check(activity);
        var window = await flow.OpenAsync(activity, "sign-up");
        await flow.SendAsync(activity, new Contribute(window, "p-liaison-han",
            new JsonObject { ["kind"] = "facility", ["facility"] = "fac-primary-playground", ["from"] = "08:30", ["to"] = "12:30" }));
        await Check(activity);
        await flow.SendAsync(activity, new Contribute(window, "p-liaison-peng", new JsonObject { ["kind"] = "volunteers", ["volunteers"] = 6 }));
        await flow.SendAsync(activity, new Contribute(window, "p-liaison-song", new JsonObject { ["kind"] = "money", ["amount"] = 5000 }));
        await Check(activity);
        await flow.CompleteAsync(activity, window, "p-liaison-han", "close");
        await Check(activity);
        await flow.CompleteAsync(activity, await flow.OpenAsync(activity, "office-review"), ProcessDriver.OfficeXie, "approve");
        await Check(activity);

        Assert.True(checkedStates >= 20, $"{checkedStates} states checked");
        var audit = await JournalAudit.VerifyAllAsync(host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(), host.Services.GetRequiredService<StoreKeys>());
        Assert.True(audit.AllIntact);
        Assert.True(audit.Instances >= 3, $"{audit.Instances} journals verified");
        Assert.True(audit.EventsChecked > checkedStates, $"{audit.EventsChecked} events verified");
    }

    private async Task CheckStoredAsync(WorkflowTestHost host, Guid id)
    {
        await using var db = await host.OpenDbAsync();
        var text = await db.Instances.Where(i => i.Id == id).Select(i => i.StateJson).SingleAsync();
        var bytes = await db.Instances.Where(i => i.Id == id).Select(i => StoredText.Utf8(i.StateJson)).SingleAsync();

        // What the step reads is the text's UTF-8, nothing added or lost.
        Assert.Equal(text, Encoding.UTF8.GetString(bytes));
        Assert.True(Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(bytes));

        // Read either way, written either way: the stored text again, byte for byte.
        var viaGenerated = JsonSerializer.Deserialize(bytes, EngineJson.State)!;
        var viaReflection = JsonSerializer.Deserialize<InstanceState>(text, EngineJson.Options)!;
        Assert.Equal(text, JsonSerializer.Serialize(viaReflection, EngineJson.Options));
        Assert.True(bytes.AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(viaGenerated, EngineJson.State)));
        Assert.True(bytes.AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(viaReflection, EngineJson.State)));
        Assert.Equal(text, JsonSerializer.Serialize(viaGenerated, EngineJson.Options));

        // The column holds text, as the ledger's JSON queries need.
        var type = Sqlite
            ? await db.Database.SqlQuery<string>($"""SELECT typeof("StateJson") AS "Value" FROM "Instances" WHERE "Id" = {id}""").SingleAsync()
            : await db.Database.SqlQuery<string>($"""SELECT pg_typeof("StateJson")::text AS "Value" FROM "Instances" WHERE "Id" = {id}""").SingleAsync();
        Assert.Equal("text", type);
    }
}

public sealed class SqliteStoredStateJsonTests : StoredStateJsonScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());

    protected override bool Sqlite => true;
}

public sealed class PostgreSqlStoredStateJsonTests : StoredStateJsonScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();

    protected override bool Sqlite => false;
}
