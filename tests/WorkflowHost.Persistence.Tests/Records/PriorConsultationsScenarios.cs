using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Records;

/// <summary>
/// The <c>prior-consultations</c> lookup by subject key (decision 145): the same answers as when it read every state of
/// the unit's year (<see cref="PriorConsultationsBefore"/>), for the same nominee and kind, another kind, another unit,
/// last year, a withdrawn consultation, an amended nominee and names that differ only by spaces; one indexed read that
/// selects no state; and the keys of instances stored before the column, filled at start.
/// </summary>
public abstract class PriorConsultationsScenarios
{
    private const string Process = "promotion-consultation";
    private const string Gao = Consultation.Liaison;        // the housing bureau's liaison
    private const string Ma = "p-liaison-ma";               // another unit's liaison

    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private async Task<(WorkflowTestHost Host, ProcessDriver Flow, SqlCommandCounter Sql)> StartAsync(DateTimeOffset? start = null)
    {
        var sql = new SqlCommandCounter();
        var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync(), start is { } at ? new FakeTimeProvider(at.ToUniversalTime()) : null,
            services => services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(sql)));
        return (host, new ProcessDriver(host), sql);
    }

    private static JsonObject Input(string nominee = "周立新", string kind = "promotion")
    {
        var input = Consultation.ValidInput();
        (input["nomineeName"], input["kind"]) = (nominee, kind);
        return input;
    }

    /// <summary>Starts a consultation a minute after the last, so the order by start time is the order of the test.</summary>
    private static async Task<Guid> SubmitAsync(ProcessDriver flow, JsonObject input, string liaison = Gao)
    {
        flow.Host.Time.Advance(TimeSpan.FromMinutes(1));
        return await flow.StartAsync(Process, liaison, input);
    }

    private static async Task AssertAnswerUnchangedAsync(WorkflowTestHost host, Guid id)
    {
        var before = await PriorConsultationsBefore.AnswerAsync(host, host.Services.GetRequiredService<IWorkingCalendar>(), id);
        var now = (await new ProcessDriver(host).RecordAsync(id, "repeat-check"));
        Assert.Equal(PriorConsultationsBefore.Comparable(before), PriorConsultationsBefore.Comparable(now));
    }

    private static IEnumerable<string> Previous(JsonObject answer) =>
        answer["previous"]!.AsArray().Select(p => p!["instance"]!.GetValue<string>());

    [Fact]
    public async Task Only_the_same_nominee_and_kind_of_the_same_unit_this_year_count_and_the_answers_are_as_before()
    {
        var (host, flow, _) = await StartAsync(new DateTimeOffset(2025, 12, 30, 10, 0, 0, Shanghai));
        await using var _ = host;
        var lastYear = await SubmitAsync(flow, Input());

        host.Time.SetUtcNow(WorkflowTestHost.DefaultStart);
        var refused = await SubmitAsync(flow, Input());
        await flow.CompleteAsync(refused, await flow.OpenAsync(refused, "office-check"), ProcessDriver.OfficeXie, "accept");
        var committee = (await flow.Host.Queries.GetAsync(refused))!.WorkItems.Single(w => w.ActivityId == "committee-ballot").BookmarkId;
        await flow.VoteAsync(refused, committee, (await flow.CommitteeAsync()).Where(m => m != Consultation.LiaisonsUnitMember).Take(7), "object");
        var withdrawn = await SubmitAsync(flow, Input());
        await flow.SendAsync(withdrawn, new Withdraw(Gao));
        var otherKind = await SubmitAsync(flow, Input(kind: "award"));
        var otherUnit = await SubmitAsync(flow, Input(), Ma);
        var otherNominee = await SubmitAsync(flow, Input("张三"));
        var padded = await SubmitAsync(flow, Input("  周立新 "));
        var probe = await SubmitAsync(flow, Input());

        var answer = await flow.RecordAsync(probe, "repeat-check");
        Assert.Equal([refused.ToString(), withdrawn.ToString(), padded.ToString()], Previous(answer));
        Assert.Equal((2, 1, true, true, 2026), (answer["count"]!.GetValue<int>(), answer["noConsent"]!.GetValue<int>(),
            answer["flagged"]!.GetValue<bool>(), answer["afterNoConsent"]!.GetValue<bool>(), answer["year"]!.GetValue<int>()));
        Assert.Equal(["2026-0001", null], answer["previous"]!.AsArray().Take(2).Select(p => p!["replyNumber"]?.GetValue<string>()));
        Assert.Equal(["completed", "withdrawn", "running"], answer["previous"]!.AsArray().Select(p => p!["status"]!.GetValue<string>()));
        await AssertAnswerUnchangedAsync(host, probe);

        // The padded name is the same nominee: it saw the two before it. The others saw none of these.
        Assert.Equal([refused.ToString(), withdrawn.ToString()], Previous(await flow.RecordAsync(padded, "repeat-check")));
        foreach (var alone in new[] { lastYear, otherKind, otherUnit, otherNominee })
        {
            Assert.Empty(Previous(await flow.RecordAsync(alone, "repeat-check")));
        }

        await using var db = await host.OpenDbAsync();
        var keys = await db.Instances.AsNoTracking().Where(i => i.Id == padded || i.Id == probe || i.Id == otherNominee)
            .ToDictionaryAsync(i => i.Id, i => i.SubjectKey);
        Assert.Equal(ConsultationSubject.KeyOf("周立新", "promotion"), keys[probe]);
        Assert.Equal(keys[probe], keys[padded]);
        Assert.NotEqual(keys[probe], keys[otherNominee]);
    }

    [Fact]
    public async Task An_amended_nominee_is_found_under_the_new_name_and_no_longer_under_the_old()
    {
        var (host, flow, _) = await StartAsync();
        await using var _ = host;
        var amended = await SubmitAsync(flow, Input("张三"));
        await flow.CompleteAsync(amended, await flow.OpenAsync(amended, "office-check"), ProcessDriver.OfficeXie, "return");
        await flow.SendAsync(amended, new CompleteTask(await flow.OpenAsync(amended, "amend"), Gao, "resubmit", AmendedInput: new JsonObject { ["nomineeName"] = "周立新" }));

        var underNewName = await SubmitAsync(flow, Input());
        var underOldName = await SubmitAsync(flow, Input("张三"));

        Assert.Equal([amended.ToString()], Previous(await flow.RecordAsync(underNewName, "repeat-check")));
        await AssertAnswerUnchangedAsync(host, underNewName);
        Assert.Empty(Previous(await flow.RecordAsync(underOldName, "repeat-check")));
        await AssertAnswerUnchangedAsync(host, underOldName);
    }

    [Fact]
    public async Task The_lookup_is_one_read_of_the_matching_rows_that_selects_no_state()
    {
        var (host, flow, sql) = await StartAsync();
        await using var _ = host;
        for (var i = 0; i < 50; i++)
        {
            await SubmitAsync(flow, Input($"候选人{i:00}", i % 2 == 0 ? "promotion" : "award"));
        }

        var earlier = await SubmitAsync(flow, Input());
        sql.Reset();
        var probe = await SubmitAsync(flow, Input());
        var sent = sql.Commands; // the start's, the lookup's among them, and nothing read after

        Assert.Equal([earlier.ToString()], Previous(await flow.RecordAsync(probe, "repeat-check")));
        var lookups = sent.Where(c => c.Contains("SubjectKey", StringComparison.Ordinal) && c.Contains("SELECT", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(lookups.Count == 1, string.Join("\n\n", lookups));
        Assert.DoesNotContain(sent, c => c.Contains("StateJson", StringComparison.Ordinal) && c.Contains("SELECT", StringComparison.OrdinalIgnoreCase));
        await AssertAnswerUnchangedAsync(host, probe);
    }

    [Fact]
    public async Task Consultations_stored_before_the_key_get_it_at_start_once_and_are_found_as_before()
    {
        var (host, flow, _) = await StartAsync();
        await using var _ = host;
        var ids = new List<Guid>
        {
            await SubmitAsync(flow, Input()),
            await SubmitAsync(flow, Input(" 周立新")),
            await SubmitAsync(flow, Input("张三")),
            await SubmitAsync(flow, Input(kind: "award")),
            await SubmitAsync(flow, Input(), Ma),
        };
        await using var db = await host.OpenDbAsync();
        var keys = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.SubjectKey);
        Assert.All(keys.Values, Assert.NotNull);
        var others = await db.Instances.AsNoTracking().CountAsync(i => i.DefinitionId != Process);
        await db.Instances.ExecuteUpdateAsync(s => s.SetProperty(i => i.SubjectKey, (string?)null));

        // The engine trims what it stores now; a state stored before may still hold the spaces the lookup always ignored.
        var padded = ids[1];
        var state = JsonNode.Parse(await db.Instances.Where(i => i.Id == padded).Select(i => i.StateJson).SingleAsync())!;
        state["input"]!["nomineeName"] = "  周立新 \t";
        var stateJson = state.ToJsonString();
        await db.Instances.Where(i => i.Id == padded).ExecuteUpdateAsync(s => s.SetProperty(i => i.StateJson, stateJson));

        var contexts = host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        var filled = await SubjectKeyBackfill.RunAsync(contexts, host.Catalog, NullLogger.Instance, batchSize: 2);

        Assert.Equal(ids.Count, filled);
        Assert.Equal(keys, await db.Instances.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.SubjectKey));
        Assert.Equal(others, await db.Instances.AsNoTracking().CountAsync(i => i.DefinitionId != Process && i.SubjectKey == null));
        Assert.Equal(0, await SubjectKeyBackfill.RunAsync(contexts, host.Catalog, NullLogger.Instance, batchSize: 2));

        var probe = await SubmitAsync(flow, Input());
        Assert.Equal([ids[0].ToString(), ids[1].ToString()], Previous(await flow.RecordAsync(probe, "repeat-check")));
        await AssertAnswerUnchangedAsync(host, probe);
    }

    [Fact]
    public async Task A_start_with_no_key_to_fill_costs_one_read_across_fifty_communities_and_a_missing_key_is_still_found()
    {
        var (host, flow, sql) = await StartAsync();
        await using var _ = host;
        var id = await SubmitAsync(flow, Input());
        await using var db = await host.OpenDbAsync();
        var communities = await db.Communities.CountAsync();
        db.Communities.AddRange(Enumerable.Range(communities, 50 - communities).Select(n => new Community
        {
            Id = $"community-{n:D2}", NameZh = $"社区{n}", NameEn = $"Community {n}", StreetZh = "街道", StreetEn = "Street",
        }));
        await db.SaveChangesAsync();
        Assert.Equal(50, await db.Communities.CountAsync());
        var contexts = host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();

        sql.Reset();
        Assert.Equal(0, await SubjectKeyBackfill.RunAsync(contexts, host.Catalog, NullLogger.Instance));
        Assert.True(sql.Commands.Count == 1, string.Join("\n\n", sql.Commands));
        Assert.DoesNotContain("StateJson", sql.Commands[0], StringComparison.Ordinal);

        // The same one read finds a consultation still without its key, and only its community is then filled.
        var key = await db.Instances.Where(i => i.Id == id).Select(i => i.SubjectKey).SingleAsync();
        await db.Instances.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.SubjectKey, (string?)null));
        sql.Reset();
        Assert.Equal(1, await SubjectKeyBackfill.RunAsync(contexts, host.Catalog, NullLogger.Instance));
        Assert.Equal(key, await db.Instances.Where(i => i.Id == id).Select(i => i.SubjectKey).SingleAsync());
        Assert.Single(sql.Commands, c => c.Contains("EXISTS", StringComparison.OrdinalIgnoreCase));
        Assert.True(sql.Commands.Count < 10, string.Join("\n\n", sql.Commands));
    }
}

public sealed class SqlitePriorConsultationsTests : PriorConsultationsScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlPriorConsultationsTests : PriorConsultationsScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
