using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// Every endpoint × every role × own or other resource, with the expected status. Resources: A = a consultation of
/// Gao's unit (housing bureau) at the committee ballot, where Liu (the unit's part-time member) is recused; B = one of
/// Ma's unit (police station) waiting for the office check; C = one in another community of the same street; D = one in
/// a community of another street. Writes run on fresh A and B each time. "list" is 200 when the instance is in the
/// caller's list and 404 when it is not, so the list and the single read agree by construction of the table.
/// 404 means "not yours to see" (it does not exist for you); 403 "you see it but may not do this"; 409 "not now".
/// </summary>
public sealed class AuthorizationMatrixTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly string[] Callers =
        ["anon", People.Liaison, People.OtherLiaison, People.Member, People.UnitsMember, People.Office, People.Secretary, People.Street, People.Administrator, People.InService];

    //                          anon  gao   ma    li    liu   xie   wang  qian  shen  huang
    private const string Table = """
        read-instance     A     401   200   404   200   200   200   200   200   200   404
        read-instance     B     401   404   200   404   404   200   200   200   200   404
        read-instance     C     401   404   404   404   404   404   404   200   404   404
        read-instance     D     401   404   404   404   404   404   404   404   404   404
        list              A     401   200   404   200   200   200   200   200   200   404
        list              B     401   404   200   404   404   200   200   200   200   404
        list              C     401   404   404   404   404   404   404   200   404   404
        list              D     401   404   404   404   404   404   404   404   404   404
        timeline          A     401   200   404   200   200   200   200   200   200   404
        timeline          B     401   404   200   404   404   200   200   200   200   404
        timeline          C     401   404   404   404   404   404   404   200   404   404
        timeline          D     401   404   404   404   404   404   404   404   404   404
        verify-journal    A     401   200   404   200   200   200   200   200   200   404
        verify-journal    B     401   404   200   404   404   200   200   200   200   404
        inbox             -     401   200   200   200   200   200   200   200   200   200
        me                -     401   200   200   200   200   200   200   200   200   200
        done              -     401   200   200   200   200   200   200   200   200   200
        processes         -     200   200   200   200   200   200   200   200   200   200
        start             -     401   201   201   403   403   403   403   403   403   403
        complete          B     401   404   403   404   404   200   403   403   403   404
        claim             B     401   404   403   404   404   200   403   403   403   404
        transfer          B     401   404   409   404   404   200   409   409   409   404
        vote              A     401   403   404   200   409   403   200   403   403   404
        recuse            A     401   403   404   200   409   403   200   403   403   404
        offline-vote      A     401   403   404   403   403   403   200   403   403   404
        extend-deadline   A     401   403   404   403   403   403   200   403   403   404
        extend-deadline   B     401   404   403   404   404   403   200   403   403   404
        comment           A     401   200   404   200   200   200   200   200   403   404
        comment           B     401   404   200   404   404   200   200   200   403   404
        withdraw          A     401   200   404   403   403   403   403   403   403   404
        withdraw          B     401   404   200   404   404   403   403   403   403   404
        copy              A     401   200   404   403   403   200   403   403   403   404
        copy              B     401   404   200   404   404   200   403   403   403   404
        copied            -     401   200   200   200   200   200   200   200   200   200
        withdraw-copy     A     401   200   404   403   403   200   403   403   403   404
        withdraw-copy     B     401   404   200   404   404   200   403   403   403   404
        end-reading       B     401   404   403   404   404   200   403   403   403   404
        directory         A     401   404   404   404   404   200   200   200   200   404
        directory         C     401   404   404   404   404   404   404   200   404   404
        directory         D     401   404   404   404   404   404   404   404   404   404
        dir-changes       A     401   404   404   404   404   200   200   200   200   404
        dir-changes       C     401   404   404   404   404   404   404   200   404   404
        dir-changes       D     401   404   404   404   404   404   404   404   404   404
        add-unit          A     401   404   404   404   404   403   403   403   201   404
        add-unit          C     401   404   404   404   404   404   404   403   404   404
        add-unit          D     401   404   404   404   404   404   404   404   404   404
        edit-person       C     401   404   404   404   404   403   403   403   404   404
        end-role          C     401   404   404   404   404   403   403   403   404   404
        import-preview    A     401   404   404   404   404   403   403   403   200   404
        import-preview    C     401   404   404   404   404   404   404   403   404   404
        import-preview    D     401   404   404   404   404   404   404   404   404   404
        import-template   A     401   404   404   404   404   403   403   403   200   404
        import-template   C     401   404   404   404   404   404   404   403   404   404
        account-invite    A     401   403   403   403   403   403   403   403   201   403
        account-invite    C     401   403   403   403   403   403   403   403   404   403
        account-deactivate C    401   403   403   403   403   403   403   403   404   403
        in-service-me     -     401   403   403   403   403   403   403   403   403   200
        offers            -     401   403   403   403   403   200   200   403   403   200
        publish-offer     -     401   403   403   403   403   201   201   403   403   403
        claim-offer       A     401   403   403   403   403   403   403   403   403   201
        claim-offer       C     401   403   403   403   403   403   403   403   403   404
        claims            -     401   403   403   403   403   200   200   403   403   403
        confirm-claim     A     401   403   403   403   403   200   200   403   403   403
        roster            -     401   200   200   403   403   200   200   403   403   403
        roster-export     -     401   200   200   403   403   200   200   403   403   403
        activities        -     401   403   403   403   403   200   200   403   403   403
        attendance        A     401   403   403   403   403   200   200   403   403   403
        attendance        C     401   403   403   403   403   404   404   403   403   403
        record-attendance A     401   403   403   403   403   200   200   403   403   403
        remove-attendance A     401   403   403   403   403   200   200   403   403   403
        removals          A     401   403   403   403   403   200   200   403   403   403
        removals          C     401   403   403   403   403   404   404   403   403   403
        open-check-in     A     401   403   403   403   403   201   201   403   403   403
        check-in          -     401   403   403   403   403   403   403   403   403   400
        in-service-figures -    401   403   403   403   403   200   200   403   403   403
        unit-in-service   A     401   404   404   404   404   403   403   403   200   404
        review            -     401   403   403   403   403   200   200   403   403   403
        save-review       -     401   403   403   403   403   409   403   403   403   403
        letters           -     401   200   200   403   403   200   200   403   403   403
        letter            A     401   200   404   403   403   200   200   403   403   403
        my-feedback       -     401   403   403   403   403   403   403   403   403   200
        """;

    public static TheoryData<string, string, string, int> Rows()
    {
        var rows = new TheoryData<string, string, string, int>();
        foreach (var line in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Callers.Length + 2, cells.Length);
            for (var i = 0; i < Callers.Length; i++)
            {
                rows.Add(cells[0], cells[1], Callers[i], int.Parse(cells[i + 2], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return rows;
    }

    private static readonly string[] CopyTo = ["p-member-zhang"];

    private static string CommunityOf(string resource) => resource switch { "A" => "binhe", "C" => "riverside", _ => "hilltop" };

    private async Task<bool> ListsAsync(string caller, Guid id)
    {
        for (var page = 1; ; page++)
        {
            var reply = await fixture.Api.GetAsync(caller, $"/api/instances?pageSize=100&page={page}");
            var items = reply.Body["items"]!.AsArray();
            if (items.Any(i => i!["id"]!.GetValue<Guid>() == id))
            {
                return true;
            }

            if (items.Count < 100)
            {
                return false;
            }
        }
    }

    /// <summary>Xie of the office claims the check; then the caller tries to pass it to Lu: only the holder may (409 notHolder otherwise).</summary>
    private async Task<Reply> TransferAfterTheOfficeClaimedAsync(string? who, Guid id, string step)
    {
        var claimed = await fixture.Api.PostAsync(People.Office, ApiDriver.Step(id, step, "claim"), new { });
        Assert.Equal(HttpStatusCode.OK, claimed.Status);
        return await fixture.Api.PostAsync(who, ApiDriver.Step(id, step, "transfer"), new { to = "p-office-lu", reason = "出差，请陆鹏办理" });
    }

    /// <summary>The office copies Zhang on the case; then the caller withdraws the copy (decision 139).</summary>
    private async Task<Reply> WithdrawCopyAsync(string? who, Guid id)
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.PostAsync(People.Office, $"/api/instances/{id}/copies", new { to = CopyTo })).Status);
        return await fixture.Api.PostAsync(who, $"/api/instances/{id}/copies/{CopyTo[0]}/withdrawal", new { reason = "抄送有误" });
    }

    /// <summary>Xie of the office delegates the check to Zhang, who hands it back; then the caller ends Zhang's reading.</summary>
    private async Task<Reply> EndReadingAsync(string? who, Guid id)
    {
        var step = ApiDriver.Step(id, "office-check#1", "");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.PostAsync(People.Office, step + "claim", new { })).Status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.PostAsync(People.Office, step + "delegate", new { to = CopyTo[0], note = "请先看材料" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.PostAsync(CopyTo[0], step + "return", new { note = "材料齐全" })).Status);
        return await fixture.Api.PostAsync(who, $"/api/instances/{id}/delegates/{CopyTo[0]}/reading-end", new { reason = "无需再查阅" });
    }

    /// <summary>The office counts Huang present at a fresh activity; then the caller removes the entry.</summary>
    private async Task<Reply> RemoveAttendanceAsync(string? who)
    {
        var activity = await ActivityAsync("binhe");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance", new { present = new[] { People.InService } })).Status);
        return await fixture.Api.PostAsync(who, $"/api/in-service/activities/{activity}/attendance/{People.InService}/removal", new { reason = "勾错" });
    }

    /// <summary>A fresh post with places to spare, published straight through the desk (the publish endpoint has its own row).</summary>
    private async Task<Guid> OfferAsync(string community) =>
        (await fixture.Factory.Services.GetRequiredService<ServiceDesk>().PublishAsync("p-office-xie", community,
            new OfferInput(ServiceOfferKind.Post, ServiceCategory.SafetyPatrol, "矩阵测试岗位", null, 5, new DateOnly(2026, 12, 20)))).Id!.Value;

    /// <summary>A fresh activity co-organisation in the community, started straight through the commands (its own rows test the API).</summary>
    private async Task<Guid> ActivityAsync(string community)
    {
        var organiser = community == "binhe" ? "p-liaison-han" : "p-liaison-riverside";
        var result = await fixture.Factory.Services.GetRequiredService<WorkflowCommands>().StartAsync(new StartCommand("activity-co-organisation", community, organiser,
            new System.Text.Json.Nodes.JsonObject
            {
                ["title"] = "矩阵测试活动", ["date"] = "2026-12-12", ["startTime"] = "09:00", ["endTime"] = "10:00", ["place"] = "社区广场",
                ["description"] = "授权矩阵测试。", ["budget"] = 100,
            }));
        Assert.True(result.Succeeded, result.Message);
        return result.InstanceId;
    }

    /// <summary>A fresh claim of Huang's (registered in the seeds) on a fresh post, waiting for the office.</summary>
    private async Task<Guid> ClaimAsync() =>
        (await fixture.Factory.Services.GetRequiredService<ServiceDesk>().ClaimAsync("binhe", await OfferAsync("binhe"), People.InService)).Id!.Value;

    /// <summary>The seeded 2025 feedback letter to Gao's unit (the housing bureau), whose letters are closed to other units.</summary>
    private async Task<string> HousingBureauLetterAsync() =>
        (await fixture.Factory.Services.GetRequiredService<WorkflowHost.Persistence.InService.Feedback.FeedbackReader>().LettersAsync("binhe", "unit-housing-bureau"))
            .First(l => l.Year == 2025).Number;

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Endpoint_role_resource(string endpoint, string resource, string caller, int expected)
    {
        var api = fixture.Api;
        var who = caller == "anon" ? null : caller;
        var isWrite = endpoint is "complete" or "claim" or "transfer" or "vote" or "recuse" or "offline-vote" or "extend-deadline" or "comment" or "withdraw" or "copy"
            or "withdraw-copy" or "end-reading";
        var onDirectory = endpoint is "directory" or "dir-changes" or "add-unit" or "edit-person" or "end-role" or "import-preview" or "import-template" or "account-invite" or "account-deactivate"
            or "in-service-me" or "offers" or "publish-offer" or "claim-offer" or "claims" or "confirm-claim" or "roster" or "roster-export"
            or "activities" or "attendance" or "record-attendance" or "remove-attendance" or "removals" or "open-check-in" or "check-in" or "in-service-figures" or "unit-in-service"
            or "review" or "save-review" or "letters" or "letter" or "my-feedback";
        var a = !onDirectory && (isWrite || resource == "A") ? await api.AtBallotAsync(People.Liaison) : Guid.Empty;
        var b = !onDirectory && (isWrite || resource == "B") ? await api.SubmitAsync(People.OtherLiaison) : Guid.Empty;
        var id = resource switch { "A" => a, "B" => b, "C" => fixture.RiversideInstance, "D" => fixture.HilltopInstance, _ => Guid.Empty };
        var step = resource == "A" ? "committee-ballot#2" : "office-check#1";

        var reply = endpoint switch
        {
            "read-instance" => await api.GetAsync(who, $"/api/instances/{id}"),
            "list" => await api.GetAsync(who, "/api/instances?pageSize=100"),

            "timeline" => await api.GetAsync(who, $"/api/instances/{id}/timeline"),
            "verify-journal" => await api.GetAsync(who, $"/api/instances/{id}/timeline/verification"),
            "inbox" => await api.GetAsync(who, "/api/inbox"),
            "me" => await api.GetAsync(who, "/api/account/me"),
            "done" => await api.GetAsync(who, "/api/inbox/done"),
            "processes" => await api.GetAsync(who, "/api/processes"),
            "start" => await api.PostAsync(who, "/api/instances", new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() }),
            "complete" => await api.PostAsync(who, ApiDriver.Step(id, step, "complete"), new { outcome = "accept", comment = "ok" }),
            "claim" => await api.PostAsync(who, ApiDriver.Step(id, step, "claim"), new { }),
            "transfer" => await TransferAfterTheOfficeClaimedAsync(who, id, step),
            "vote" => await api.PostAsync(who, ApiDriver.Step(id, step, "vote"), new { choice = "consent" }),
            "recuse" => await api.PostAsync(who, ApiDriver.Step(id, step, "recuse"), new { reason = "亲属关系" }),
            "offline-vote" => await api.PostAsync(who, ApiDriver.Step(id, step, "offline-votes"),
                new { voter = "p-member-zhang", choice = "consent", attestation = "2026-11-27 党委会议现场表决，书记签字" }),
            "extend-deadline" => await api.PostAsync(who, ApiDriver.Step(id, step, "deadline"), new { extendByWorkingDays = 2, reason = "材料补充" }),
            "comment" => await api.PostAsync(who, $"/api/instances/{id}/comments", new { text = "请补充社区表现材料。" }),
            "withdraw" => await api.PostAsync(who, $"/api/instances/{id}/withdraw", new { reason = "撤回" }),
            "copy" => await api.PostAsync(who, $"/api/instances/{id}/copies", new { to = CopyTo }),
            "copied" => await api.GetAsync(who, "/api/inbox/copied"),
            "withdraw-copy" => await WithdrawCopyAsync(who, id),
            "end-reading" => await EndReadingAsync(who, id),
            "directory" => await api.GetAsync(who, $"/api/communities/{CommunityOf(resource)}/directory"),
            "dir-changes" => await api.GetAsync(who, $"/api/communities/{CommunityOf(resource)}/directory/changes"),
            "add-unit" => await api.PostAsync(who, $"/api/communities/{CommunityOf(resource)}/units", new
            {
                id = $"unit-matrix-{Guid.NewGuid():N}", nameZh = "矩阵测试单位", nameEn = "Matrix test unit", kind = "company", joinedOn = "2026-11-01",
            }),
            "edit-person" => await api.SendAsync(who, HttpMethod.Put, "/api/communities/binhe/people/p-liaison-riverside",
                new { nameZh = "改名", nameEn = "Renamed", unitId = "unit-riverside-clinic", version = 1 }),
            "end-role" => await api.PostAsync(who, "/api/communities/binhe/people/p-liaison-riverside/roles/unit-liaison/end", new { on = "2026-11-27" }),
            "import-preview" => await Features.Communities.Import.ImportScenarios.PostFileAsync(api, who, $"/api/communities/{CommunityOf(resource)}/import/preview",
                System.Text.Encoding.UTF8.GetBytes("单位编号,单位名称（中文）,单位名称（英文）,单位类型,加入日期\nunit-matrix-import,矩阵导入单位,Matrix import unit,企业,2026-11-01\n"), "text/csv"),
            "import-template" => await api.GetAsync(who, $"/api/communities/{CommunityOf(resource)}/import/template?format=csv"),
            "account-invite" => await api.PostAsync(who, $"/api/admin/accounts/{(resource == "A" ? People.InService : "p-liaison-riverside")}/invitation", null),
            "account-deactivate" => await api.PostAsync(who, "/api/admin/accounts/p-office-riverside/deactivate", null),
            "in-service-me" => await api.GetAsync(who, "/api/in-service/me"),
            "offers" => await api.GetAsync(who, "/api/in-service/offers"),
            "publish-offer" => await api.PostAsync(who, "/api/in-service/offers", new { kind = "post", category = "safety-patrol", title = "矩阵测试巡逻", places = 3, dueOn = "2026-12-20" }),
            "claim-offer" => await api.PostAsync(who, $"/api/in-service/offers/{await OfferAsync(CommunityOf(resource))}/claims", null),
            "claims" => await api.GetAsync(who, "/api/in-service/claims"),
            "confirm-claim" => await api.PostAsync(who, $"/api/in-service/claims/{await ClaimAsync()}/confirmation", new { served = true, hours = 2, servedOn = "2026-11-27" }),
            "roster" => await api.GetAsync(who, "/api/in-service/roster"),
            "roster-export" => await api.GetAsync(who, "/api/in-service/roster/export"),
            "activities" => await api.GetAsync(who, "/api/in-service/activities"),
            "attendance" => await api.GetAsync(who, $"/api/in-service/activities/{await ActivityAsync(CommunityOf(resource))}/attendance"),
            "record-attendance" => await api.PostAsync(who, $"/api/in-service/activities/{await ActivityAsync("binhe")}/attendance", new { present = new[] { People.InService } }),
            "remove-attendance" => await RemoveAttendanceAsync(who),
            "removals" => await api.GetAsync(who, $"/api/in-service/activities/{await ActivityAsync(CommunityOf(resource))}/attendance/removals"),
            "open-check-in" => await api.PostAsync(who, $"/api/in-service/activities/{await ActivityAsync("binhe")}/check-ins", new { minutes = 30 }),
            // Huang is registered: a code no check-in has is refused on its field (400); nobody else may check in at all.
            "check-in" => await api.PostAsync(who, "/api/in-service/check-ins", new { code = "000000" }),
            "in-service-figures" => await api.GetAsync(who, "/api/in-service/figures"),
            "unit-in-service" => await api.SendAsync(who, HttpMethod.Put, "/api/communities/binhe/units/unit-housing-bureau/in-service-members", new { inServiceMembers = 12 }),
            "review" => await api.GetAsync(who, "/api/in-service/reviews/2025"),
            "save-review" => await api.PostAsync(who, "/api/in-service/reviews/2025/evaluations", new { evaluations = new[] { new { member = People.InService, rating = "competent" } } }),
            "letters" => await api.GetAsync(who, "/api/in-service/letters"),
            "letter" => await api.GetAsync(who, $"/api/in-service/letters/{await HousingBureauLetterAsync()}"),
            "my-feedback" => await api.GetAsync(who, "/api/in-service/feedback"),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint),
        };

        var actual = (int)reply.Status;
        if (endpoint == "list" && reply.Status == HttpStatusCode.OK)
        {
            actual = await ListsAsync(who!, id) ? 200 : 404;
        }

        Assert.True(expected == actual, $"{endpoint} {resource} as {caller}: expected {expected}, got {reply}");
        if (actual >= 400 && endpoint != "list")
        {
            Assert.Equal("application/problem+json", reply.Message.Content.Headers.ContentType?.MediaType);
        }
    }
}
