using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MiniExcelLibs;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Ledger;

/// <summary>
/// A ballot's roll call export. On a secret ballot the file must not tie a member to a choice: two ballots run side by
/// side, identical but for Li and Zhang swapping their choices, and their exports (xlsx rows and CSV text) must be the
/// same before, between and after the votes (the swapped-worlds scan of docs/decisions/0055, applied to the exports).
/// </summary>
public sealed class RollCallExportTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Ballot = "secret-vote#1";

    // As in SecretBallotTests: with Liu recused 13 are eligible, and a secret ballot closes when all have voted.
    private static readonly string[] Others = ["p-member-chen", "p-member-zhao", "p-member-sun", "p-member-zhou", "p-member-wu", "p-member-feng"];
    private static readonly string[] Rest = ["p-member-he", "p-member-lin", "p-member-xu", "p-member-zheng", "p-secretary-wang"];

    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task A_secret_ballots_export_is_the_same_whichever_way_each_member_voted()
    {
        var x = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = "点名导出" }, "test-secret-ballot");
        var y = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = "点名导出" }, "test-secret-ballot");
        await SameAsync(x, y);
        await VoteAsync(x, People.Member, "nay-secret");
        await VoteAsync(y, People.Member, "aye-secret");
        await SameAsync(x, y);
        await VoteAsync(x, "p-member-zhang", "aye-secret");
        await VoteAsync(y, "p-member-zhang", "nay-secret");
        await SameAsync(x, y);
        foreach (var member in Others)
        {
            await VoteAsync(x, member, "aye-secret");
            await VoteAsync(y, member, "aye-secret");
        }

        foreach (var member in Rest)
        {
            await VoteAsync(x, member, "nay-secret");
            await VoteAsync(y, member, "nay-secret");
        }

        var (roll, totals) = await SameAsync(x, y);

        // Closed: who voted is listed without a choice column; the totals are there, as the API shows them.
        Assert.Equal(["委员", "表决状态", "录入人", "回避理由"], roll[0].Keys);
        Assert.Contains(roll, r => r["委员"]?.ToString() == "李秀英" && r["表决状态"]?.ToString() == "已表决");
        Assert.DoesNotContain(roll, r => r.Values.Any(v => v?.ToString() is "赞成" or "反对" or "aye-secret" or "nay-secret"));
        Assert.Equal("7", totals.Single(r => r["选项"]?.ToString() == "赞成")["票数"]?.ToString());
        Assert.Equal("6", totals.Single(r => r["选项"]?.ToString() == "反对")["票数"]?.ToString());
    }

    [Fact]
    public async Task An_open_ballots_export_lists_each_choice_and_refuses_those_off_the_committee()
    {
        var id = await Api.AtBallotAsync();
        const string step = "committee-ballot#2";
        await VoteAsync(id, People.Member, "consent", step);
        var file = await Api.GetAsync(People.Secretary, $"/api/instances/{id}/steps/{Uri.EscapeDataString(step)}/roll-call?format=csv");
        Assert.Equal(HttpStatusCode.OK, file.Status);
        var text = Encoding.UTF8.GetString((await file.Message.Content.ReadAsByteArrayAsync())[3..]);
        Assert.StartsWith("委员,表决状态,表决意见,理由,表决时间", text, StringComparison.Ordinal);
        Assert.Contains(",已表决,同意,", text, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync(People.Liaison, $"/api/instances/{id}/steps/{Uri.EscapeDataString(step)}/roll-call")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.OtherLiaison, $"/api/instances/{id}/steps/{Uri.EscapeDataString(step)}/roll-call")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/steps/office-check%231/roll-call")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/steps/{Uri.EscapeDataString(step)}/roll-call?format=doc")).Status);
    }

    private async Task VoteAsync(Guid id, string member, string choice, string step = Ballot)
    {
        var reply = await Api.PostAsync(member, ApiDriver.Step(id, step, "vote"), new { choice });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
    }

    /// <summary>Both exports, as the secretary reads them, in both formats; returns the roll and totals sheets of X.</summary>
    private async Task<(List<IDictionary<string, object?>> Roll, List<IDictionary<string, object?>> Totals)> SameAsync(Guid x, Guid y)
    {
        var csvX = await CsvAsync(x);
        Assert.Equal(csvX, await CsvAsync(y));
        var (rollX, totalsX) = await XlsxAsync(x);
        var (rollY, totalsY) = await XlsxAsync(y);
        Assert.Equal(Flatten(rollX), Flatten(rollY));
        Assert.Equal(Flatten(totalsX), Flatten(totalsY));
        return (rollX, totalsX);
    }

    private async Task<string> CsvAsync(Guid id)
    {
        var file = await Api.GetAsync(People.Secretary, $"/api/instances/{id}/steps/{Uri.EscapeDataString(Ballot)}/roll-call?format=csv");
        Assert.True(file.Status == HttpStatusCode.OK, file.ToString());
        return file.Text;
    }

    private async Task<(List<IDictionary<string, object?>>, List<IDictionary<string, object?>>)> XlsxAsync(Guid id)
    {
        var file = await Api.GetAsync(People.Secretary, $"/api/instances/{id}/steps/{Uri.EscapeDataString(Ballot)}/roll-call");
        Assert.True(file.Status == HttpStatusCode.OK, file.ToString());
        using var stream = new MemoryStream(await file.Message.Content.ReadAsByteArrayAsync());
        var sheets = stream.GetSheetNames();
        Assert.Equal(["表决情况", "计票结果"], sheets);
        var roll = stream.Query(useHeaderRow: true, sheetName: sheets[0]).Cast<IDictionary<string, object?>>().ToList();
        var totals = stream.Query(useHeaderRow: true, sheetName: sheets[1]).Cast<IDictionary<string, object?>>().ToList();
        return (roll, totals);
    }

    private static List<string> Flatten(IEnumerable<IDictionary<string, object?>> rows) =>
        [.. rows.Select(r => string.Join("|", r.Select(c => $"{c.Key}={c.Value}")))];
}
