using System.Net;
using WorkflowHost.Testing;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Ledger;

/// <summary>The search and the kind filter are SQL of each provider's own (json_extract, #>>): proven on a real PostgreSQL server too.</summary>
public sealed class LedgerPostgreSqlTests
{
    [Fact]
    public async Task Search_kind_and_overdue_filters_run_on_PostgreSQL()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var factory = new HostFactory(postgreSql: database);
        var api = new ApiDriver(factory);
        var award = await api.SubmitAsync(People.Liaison, LedgerScenario.Consultation("Pg Searchname", "award"));
        var promotion = await api.SubmitAsync(People.Liaison, LedgerScenario.Consultation("司马台账", "promotion"));

        Assert.Equal([award], await IdsAsync(api, "q=searchNAME"));
        Assert.Equal([promotion], await IdsAsync(api, "q=司马"));
        Assert.Empty(await IdsAsync(api, "q=_"));
        Assert.Equal([award], await IdsAsync(api, "kind=award"));
        Assert.Equal(new[] { award, promotion }.Order(), (await IdsAsync(api, "overdue=false&process=promotion-consultation")).Order());
        Assert.Empty(await IdsAsync(api, "overdue=true"));
    }

    private static async Task<List<Guid>> IdsAsync(ApiDriver api, string query)
    {
        var reply = await api.GetAsync(People.Office, "/api/ledger?pageSize=100&" + query);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return [.. reply.Body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())];
    }
}
