using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Ledger;

/// <summary>
/// The ledger API and its exports on a real SQLite file, signed in for real: who may read it, that every filter narrows
/// the list the database returns, that bad filters are refused by name, and that an export holds exactly the listed cases.
/// </summary>
public sealed class LedgerApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    [Theory]
    [InlineData(People.Liaison)]
    [InlineData(People.Member)]
    [InlineData(People.InService)]
    public async Task Only_the_secretary_the_office_and_the_street_committee_read_or_export_the_ledger(string person)
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync(person, "/api/ledger")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync(person, "/api/ledger/export?format=csv")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync(null, "/api/ledger")).Status);
        foreach (var keeper in new[] { People.Office, People.Secretary, People.Street })
        {
            Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync(keeper, "/api/ledger")).Status);
        }
    }

    [Fact]
    public async Task Bad_filters_are_refused_by_name_and_nothing_is_listed()
    {
        var reply = await Api.GetAsync(People.Office,
            "/api/ledger?process=no-such-process&state=open&unit=bad%20unit&year=26&overdue=maybe&page=0&pageSize=500&q=" + new string('x', 51));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var errors = reply.Body["errors"]!.AsObject();
        foreach (var field in new[] { "process", "state", "unit", "year", "overdue", "page", "pageSize", "q" })
        {
            Assert.True(errors.ContainsKey(field), $"{field} missing in {errors.ToJsonString()}");
        }

        Assert.Null(reply.Body["items"]);
        var both = await Api.GetAsync(People.Office, "/api/ledger?year=2026&month=2026-11");
        Assert.Equal(HttpStatusCode.BadRequest, both.Status);
        Assert.True(both.Body["errors"]!.AsObject().ContainsKey("month"), both.ToString());
        var format = await Api.GetAsync(People.Office, "/api/ledger/export?format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, format.Status);
        Assert.True(format.Body["errors"]!.AsObject().ContainsKey("format"), format.ToString());
    }

    [Fact]
    public async Task Filters_and_search_narrow_the_list_in_the_database()
    {
        var award = await Api.SubmitAsync(People.Liaison, LedgerScenario.Consultation("欧阳台账", "award"));
        var promotion = await Api.SubmitAsync(People.OtherLiaison, LedgerScenario.Consultation("Ledger Searchname", "promotion"));

        // The search looks at the nominee's name (any case for Latin letters), not at other fields such as the reason.
        Assert.Equal([award], await IdsAsync(People.Office, "q=欧阳台账"));
        Assert.Equal([promotion], await IdsAsync(People.Office, "q=SEARCHNAME"));
        Assert.Empty(await IdsAsync(People.Office, "q=积极参加社区志愿服务"));
        Assert.Empty(await IdsAsync(People.Office, "q=%25"));

        Assert.Contains(award, await IdsAsync(People.Office, "kind=award"));
        Assert.DoesNotContain(promotion, await IdsAsync(People.Office, "kind=award"));
        Assert.Contains(promotion, await IdsAsync(People.Office, "unit=unit-xinhua-police-station"));
        Assert.DoesNotContain(award, await IdsAsync(People.Office, "unit=unit-xinhua-police-station"));
        Assert.Contains(award, await IdsAsync(People.Office, "state=running&process=promotion-consultation&year=2026&step=office-check"));
        Assert.Empty(await IdsAsync(People.Office, "year=2025"));
        Assert.Contains(award, await IdsAsync(People.Office, "month=2026-11"));

        var row = (await Api.GetAsync(People.Office, "/api/ledger?q=欧阳台账")).Body["items"]![0]!;
        Assert.Equal("欧阳台账", row["subject"]!.GetValue<string>());
        Assert.Equal("award", row["kind"]!.GetValue<string>());
        Assert.Equal("office-check", row["openSteps"]![0]!["activity"]!.GetValue<string>());

        // Paging: the same total, one row per page, different rows.
        var first = (await Api.GetAsync(People.Office, "/api/ledger?pageSize=1&page=1")).Body;
        var second = (await Api.GetAsync(People.Office, "/api/ledger?pageSize=1&page=2")).Body;
        Assert.Equal(first["total"]!.GetValue<int>(), second["total"]!.GetValue<int>());
        Assert.NotEqual(first["items"]![0]!["id"]!.GetValue<Guid>(), second["items"]![0]!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task The_street_committee_sees_every_community_of_its_street_and_no_other()
    {
        var street = await IdsAsync(People.Street, "");
        Assert.Contains(fixture.RiversideInstance, street);
        Assert.DoesNotContain(fixture.HilltopInstance, street);
        Assert.DoesNotContain(fixture.RiversideInstance, await IdsAsync(People.Office, ""));
    }

    [Fact]
    public async Task The_xlsx_export_holds_exactly_the_filtered_cases_of_the_ledger()
    {
        await Api.SubmitAsync(People.Liaison, LedgerScenario.Consultation("导出甲"));
        await Api.SubmitAsync(People.Liaison, LedgerScenario.Consultation("导出乙"));
        var listed = (await Api.GetAsync(People.Office, "/api/ledger?unit=unit-housing-bureau&pageSize=100")).Body["items"]!.AsArray();

        var file = await Api.GetAsync(People.Office, "/api/ledger/export?format=xlsx&unit=unit-housing-bureau");
        Assert.Equal(HttpStatusCode.OK, file.Status);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file.Message.Content.Headers.ContentType!.MediaType);
        using var stream = new MemoryStream(await file.Message.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();

        Assert.Equal(listed.Count, rows.Count);
        Assert.True(rows.Count >= 2);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(listed[i]!["id"]!.GetValue<Guid>().ToString("D"), rows[i]["事项编号"]?.ToString());
            Assert.Equal(listed[i]!["subject"]!.GetValue<string>(), rows[i]["事项"]?.ToString());
            Assert.Equal("滨江区住房和城乡建设局", rows[i]["单位"]?.ToString());
            Assert.Equal("办理中", rows[i]["状态"]?.ToString());
        }
    }

    [Fact]
    public async Task The_csv_export_opens_in_Excel_and_never_runs_a_formula_from_a_nominee_name()
    {
        var hostile = "=HYPERLINK(\"http://example.invalid\",\"点我\")";
        await Api.SubmitAsync(People.Liaison, LedgerScenario.Consultation(hostile));
        var file = await Api.GetAsync(People.Office, "/api/ledger/export?format=csv&q=HYPERLINK");
        Assert.Equal(HttpStatusCode.OK, file.Status);
        var bytes = await file.Message.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("事项编号,流程,事项,事项类别", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"点我\"\")\",", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headers_are_in_English_for_a_reader_who_chose_English()
    {
        var contexts = fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            // The language a person chose with the switch; p-office-riverside is this fixture's own, no other test reads as them.
            var person = await db.People.SingleAsync(p => p.Id == "p-office-riverside");
            person.Language = "en";
            await db.SaveChangesAsync();
        }

        var file = await Api.GetAsync("p-office-riverside", "/api/ledger/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, file.Status);
        var text = Encoding.UTF8.GetString((await file.Message.Content.ReadAsByteArrayAsync())[3..]);
        Assert.StartsWith("Case id,Process,Subject,Kind of matter,Community,Unit,State,Decision", text, StringComparison.Ordinal);
        Assert.Contains(fixture.RiversideInstance.ToString("D"), text, StringComparison.Ordinal);
        Assert.Contains("In progress", text, StringComparison.Ordinal);
    }

    private async Task<List<Guid>> IdsAsync(string person, string query)
    {
        var reply = await Api.GetAsync(person, "/api/ledger?pageSize=100&" + query);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return [.. reply.Body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())];
    }
}
