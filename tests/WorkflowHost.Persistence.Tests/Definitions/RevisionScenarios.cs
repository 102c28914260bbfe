using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Definitions;

/// <summary>An instance finishes on the revision it started with, whatever happens to the file meanwhile.</summary>
public abstract class RevisionScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_running_instance_stays_on_its_revision_after_the_file_changes()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var old = await flow.SubmitAsync();
        var oldHash = host.Catalog.Current("promotion-consultation")!.ContentHash;

        // The new revision drops the office check's "return" outcome and its amendment step.
        var file = Path.Combine(host.WorkflowsFolder, "promotion-consultation.json");
        var text = await File.ReadAllTextAsync(file);
        text = text.Replace("\"version\": 3,", "\"version\": 4,", StringComparison.Ordinal)
            .Replace("{ \"from\": \"office-check\", \"outcome\": \"return\", \"to\": \"amend\" },", "", StringComparison.Ordinal)
            .Replace("{ \"from\": \"amend\", \"outcome\": \"resubmit\", \"to\": \"repeat-check\" },", "", StringComparison.Ordinal);
        var amendStart = text.IndexOf("{\n      \"id\": \"amend\"", StringComparison.Ordinal);
        var amendEnd = text.IndexOf("{\n      \"id\": \"committee-ballot\"", StringComparison.Ordinal);
        text = text.Remove(amendStart, amendEnd - amendStart)
            .Replace(",\n        { \"name\": \"return\", \"label\": { \"zh-CN\": \"退回补充\", \"en\": \"Return for amendment\" } }", "", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text);
        await using (var db = await host.OpenDbAsync())
        {
            await host.Catalog.LoadAsync(db, host.WorkflowsFolder);
        }

        var current = host.Catalog.Current("promotion-consultation")!;
        Assert.Equal(4, current.Version);
        Assert.NotEqual(oldHash, current.ContentHash);
        Assert.DoesNotContain(current.Activities, a => a.Id == "amend");

        // The old instance can still be returned for amendment: it runs on the revision it started on.
        var check = await flow.OpenBookmarkAsync(old, "office-check");
        Assert.True((await flow.CompleteAsync(old, check, Consultation.Office, "return")).Succeeded);
        Assert.Single((await host.Queries.GetAsync(old))!.WorkItems, w => w.ActivityId == "amend" && w.Status == "open");

        // A new instance starts on the new revision, where "return" no longer exists.
        var fresh = await flow.SubmitAsync();
        var freshCheck = await flow.OpenBookmarkAsync(fresh, "office-check");
        Assert.Equal(Engine.Runtime.RefusalCode.UnknownOption, (await flow.CompleteAsync(fresh, freshCheck, Consultation.Office, "return")).Refusal);

        await using var check2 = await host.OpenDbAsync();
        Assert.Equal(2, await check2.DefinitionRevisions.CountAsync(r => r.DefinitionId == "promotion-consultation"));
        Assert.Equal(oldHash, (await check2.Instances.SingleAsync(i => i.Id == old)).DefinitionHash);
    }

    [Fact]
    public async Task Reloading_an_unchanged_folder_stores_no_new_revision()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        await using var db = await host.OpenDbAsync();
        var before = await db.DefinitionRevisions.CountAsync();
        await host.Catalog.LoadAsync(db, host.WorkflowsFolder);
        Assert.Equal(before, await db.DefinitionRevisions.CountAsync());
    }

    [Fact]
    public async Task A_broken_file_refuses_the_whole_load_and_keeps_the_published_set()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var published = host.Catalog.Published.Select(d => d.ContentHash).ToList();
        await File.WriteAllTextAsync(Path.Combine(host.WorkflowsFolder, "broken.json"), "{ \"id\": \"broken\", ");

        await using var db = await host.OpenDbAsync();
        var error = await Assert.ThrowsAsync<DefinitionException>(() => host.Catalog.LoadAsync(db, host.WorkflowsFolder));

        Assert.Contains(error.Errors, e => e.File == "broken.json" && e.Path == "$");
        Assert.Equal(published, host.Catalog.Published.Select(d => d.ContentHash));
    }
}

public sealed class SqliteRevisionTests : RevisionScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlRevisionTests : RevisionScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
