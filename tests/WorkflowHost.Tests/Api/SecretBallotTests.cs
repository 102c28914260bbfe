using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// Nobody, administrators included, can learn who chose what on a secret ballot, through any endpoint or log line.
/// Two instances of a secret ballot are run side by side, identical except that Li and Zhang swap their choices
/// (world X: Li nay, Zhang aye; world Y: Li aye, Zhang nay). If every response any role gets stays identical between the
/// two worlds (once instance ids, hashes and reply numbers are set aside), no response can carry Li's choice: before,
/// between and after the votes, and after the ballot closes.
/// </summary>
public sealed class SecretBallotTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Ballot = "secret-vote#1";
    private const string ReasonLi = "理由甲：LI-REASON-7731";
    private const string ReasonZhang = "理由乙：ZHANG-REASON-4410";

    private static readonly string[] Roles =
        [People.Liaison, People.OtherLiaison, People.Member, People.UnitsMember, People.Office, People.Secretary, People.Street, People.Administrator, People.InService, "p-member-zhang"];

    // With Liu recused 13 are eligible: 7 ayes pass. One aye comes from Li or Zhang, six from these.
    private static readonly string[] Others = ["p-member-chen", "p-member-zhao", "p-member-sun", "p-member-zhou", "p-member-wu", "p-member-feng"];

    // A secret ballot closes only when every eligible member has voted (an early close would reveal the deciding vote).
    private static readonly string[] Rest = ["p-member-he", "p-member-lin", "p-member-xu", "p-member-zheng", "p-secretary-wang"];

    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task Every_response_is_the_same_whichever_way_Li_voted()
    {
        var x = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = "无记名表决" }, "test-secret-ballot");
        var y = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = "无记名表决" }, "test-secret-ballot");
        var seen = new List<string>();

        await SameAsync(x, y, seen);
        await VoteAsync(x, People.Member, "nay-secret", ReasonLi);
        await VoteAsync(y, People.Member, "aye-secret", ReasonLi);
        await SameAsync(x, y, seen);
        await VoteAsync(x, "p-member-zhang", "aye-secret", ReasonZhang);
        await VoteAsync(y, "p-member-zhang", "nay-secret", ReasonZhang);
        await SameAsync(x, y, seen);
        foreach (var member in Others)
        {
            await VoteAsync(x, member, "aye-secret", null);
            await VoteAsync(y, member, "aye-secret", null);
        }

        foreach (var member in Rest)
        {
            await VoteAsync(x, member, "nay-secret", null);
            await VoteAsync(y, member, "nay-secret", null);
        }

        var closed = await Api.InstanceAsync(x);
        Assert.Equal("passed", closed["result"]!.GetValue<string>());
        Assert.Equal(7, closed["pastSteps"]![0]!["ballot"]!["totals"]!["aye-secret"]!.GetValue<int>());
        await SameAsync(x, y, seen);

        foreach (var text in seen)
        {
            Assert.DoesNotContain(ReasonLi, text, StringComparison.Ordinal);
            Assert.DoesNotContain(ReasonZhang, text, StringComparison.Ordinal);
            NoObjectLinksVoterAndChoice(JsonNode.Parse(text));
        }

        foreach (var line in fixture.Factory.Logs)
        {
            Assert.DoesNotContain(ReasonLi, line, StringComparison.Ordinal);
            Assert.False(line.Contains(People.Member, StringComparison.Ordinal) && line.Contains("-secret", StringComparison.Ordinal), line);
        }
    }

    [Fact]
    public async Task While_a_secret_ballot_is_open_there_are_no_totals_and_afterwards_no_names_next_to_choices()
    {
        var id = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = "计票" }, "test-secret-ballot");
        await VoteAsync(id, People.Member, "nay-secret", ReasonLi);
        var open = (await Api.InstanceAsync(id, People.Administrator))["currentSteps"]![0]!["ballot"]!;
        Assert.True(open["secret"]!.GetValue<bool>());
        Assert.Null(open["totals"]);
        Assert.Equal(1, open["voted"]!.GetValue<int>());
        var li = open["voterList"]!.AsArray().Single(v => v!["person"]!["id"]!.GetValue<string>() == People.Member)!;
        Assert.Equal("voted", li["status"]!.GetValue<string>());
        Assert.Null(li["choice"]);
        Assert.Null(li["reason"]);

        var timeline = await Api.GetAsync(People.Administrator, $"/api/instances/{id}/timeline");
        var voteCast = timeline.Body["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "VoteCast")!;
        Assert.Equal(People.Member, voteCast["data"]!["voter"]!.GetValue<string>());
        Assert.Null(voteCast["data"]!["choice"]);
    }

    private async Task VoteAsync(Guid id, string member, string choice, string? reason)
    {
        var reply = await Api.PostAsync(member, ApiDriver.Step(id, Ballot, "vote"), new { choice, reason });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.DoesNotContain(choice, reply.Text, StringComparison.Ordinal);
    }

    /// <summary>Every role's view of X equals its view of Y, once the instance ids, hashes and reply numbers are set aside.</summary>
    private async Task SameAsync(Guid x, Guid y, List<string> seen)
    {
        foreach (var role in Roles)
        {
            foreach (var path in new[] { "/api/instances/{0}", "/api/instances/{0}/timeline", "/api/instances/{0}/timeline/verification" })
            {
                var inX = await Api.GetAsync(role, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, x));
                var inY = await Api.GetAsync(role, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, y));
                seen.Add(inX.Text);
                seen.Add(inY.Text);
                Assert.Equal(inX.Status, inY.Status);
                Assert.Equal(Normalise(inX.Text, x), Normalise(inY.Text, y));
            }

            foreach (var path in new[] { "/api/instances?pageSize=100", "/api/inbox", "/api/inbox/done?pageSize=100" })
            {
                var reply = await Api.GetAsync(role, path);
                seen.Add(reply.Text);
                var items = (reply.Body as JsonArray ?? reply.Body["items"]!.AsArray()).Select(i => i!).ToList();
                var ofX = items.Where(i => (i["id"] ?? i["instanceId"])!.GetValue<Guid>() == x).Select(i => Normalise(i.ToJsonString(), x));
                var ofY = items.Where(i => (i["id"] ?? i["instanceId"])!.GetValue<Guid>() == y).Select(i => Normalise(i.ToJsonString(), y));
                Assert.Equal(ofX, ofY);
            }
        }
    }

    private static string Normalise(string text, Guid id)
    {
        var node = JsonNode.Parse(text.Replace(id.ToString(), "INSTANCE", StringComparison.OrdinalIgnoreCase));
        Strip(node);
        return node?.ToJsonString() ?? "";

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var key in new[] { "hash", "traceId", "number", "verificationCode", "verify" })
                    {
                        obj.Remove(key);
                    }

                    foreach (var (_, child) in obj.ToList())
                    {
                        Strip(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }

    private static void NoObjectLinksVoterAndChoice(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var texts = obj.Where(p => p.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    .Select(p => p.Value!.GetValue<string>()).ToList();
                var flat = obj.ToJsonString();
                Assert.False(
                    (texts.Contains(People.Member) || texts.Contains("p-member-zhang")) && (flat.Contains("aye-secret", StringComparison.Ordinal) || flat.Contains("nay-secret", StringComparison.Ordinal)),
                    $"an object names a voter next to a choice: {flat}");
                foreach (var (_, child) in obj)
                {
                    NoObjectLinksVoterAndChoice(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    NoObjectLinksVoterAndChoice(child);
                }

                break;
        }
    }
}
