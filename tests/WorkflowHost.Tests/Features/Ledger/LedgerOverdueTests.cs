using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Ledger;

/// <summary>Overdue in the ledger, on a host of its own: the test moves the clock, which would age every other test's tokens.</summary>
public sealed class LedgerOverdueTests
{
    [Fact]
    public async Task Overdue_cases_are_those_with_an_open_step_past_its_deadline()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);
        var id = await api.SubmitAsync(People.Liaison, LedgerScenario.Consultation("逾期测试"));
        Assert.Contains(id, await IdsAsync(api, People.Office, "overdue=false&q=逾期测试"));
        Assert.DoesNotContain(id, await IdsAsync(api, People.Office, "overdue=true&q=逾期测试"));

        factory.Time.Advance(TimeSpan.FromDays(60));
        api.ForgetTokens();
        Assert.Contains(id, await IdsAsync(api, People.Office, "overdue=true&q=逾期测试"));
        Assert.DoesNotContain(id, await IdsAsync(api, People.Office, "overdue=false&q=逾期测试"));
    }

    private static async Task<List<Guid>> IdsAsync(ApiDriver api, string person, string query)
    {
        var reply = await api.GetAsync(person, "/api/ledger?pageSize=100&" + query);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return [.. reply.Body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())];
    }
}
