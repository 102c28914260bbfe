// Not compiled with the tests: GeneratedClientTests compiles it at run time together with the client that NSwag
// generates from the served OpenAPI document (namespace GeneratedClientScenario.Client), so it uses only what the
// document declares. The steps are docs/api.md's "Try it with curl", through the generated client.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using GeneratedClientScenario.Client;

namespace GeneratedClientScenario;

public static class PromotionScenario
{
    private const string DemoPassword = "Binhe-Demo-2026";

    /// <summary>Returns the consultation's result as the unit reads it; <paramref name="log"/> says what happened.</summary>
    public static async Task<string> RunAsync(Func<HttpClient> newHttpClient, List<string> log)
    {
        // The public catalogue needs no sign-in.
        var anonymous = new WorkflowHostClient(newHttpClient());
        var processes = await anonymous.ListProcessesAsync();
        var promotion = processes.Single(p => p.Id == "promotion-consultation");
        log.Add($"catalogue: {processes.Count} processes; {promotion.Id} has {promotion.Inputs.Count} input fields");

        // The unit's liaison signs in and submits.
        var unit = await SignInAsync(newHttpClient, "p-liaison-gao");
        var me = await unit.GetAccountMeAsync();
        Check(me.PersonId == "p-liaison-gao" && me.UnitId == "unit-housing-bureau", $"me: {me.PersonId} {me.UnitId}");
        var input = new JsonObject();
        input.AdditionalProperties["kind"] = "promotion";
        input.AdditionalProperties["nomineeName"] = "周立新";
        input.AdditionalProperties["nomineePost"] = "科长";
        input.AdditionalProperties["proposedPost"] = "副局长";
        input.AdditionalProperties["partyMembership"] = "full-member";
        input.AdditionalProperties["reason"] = "工作扎实，积极参加社区志愿服务。";
        input.AdditionalProperties["replyNeededBy"] = "2026-12-31";
        var started = await unit.StartInstanceAsync(new StartRequest { Process = "promotion-consultation", Input = input });
        var id = started.InstanceId;
        log.Add($"started {id}: {started.Status}");

        // The office finds it in its inbox and accepts it.
        var office = await SignInAsync(newHttpClient, "p-office-xie");
        var check = (await office.GetInboxAsync()).Single(item => item.InstanceId == id);
        Check(check.Kind == "task" && check.Choices.Any(c => c.Name == "accept"), $"office inbox: {check.Kind} {string.Join(",", check.Choices.Select(c => c.Name))}");
        var accepted = await office.CompleteTaskAsync(id, check.StepId, new CompleteTaskRequest { Outcome = "accept" });
        log.Add($"office {check.StepId}: {accepted.Status}");

        // Seven of the 13 eligible members consent (刘洋, of the submitting unit, is recused).
        var ballot = (await office.GetInstanceAsync(id)).CurrentSteps.Single();
        Check(ballot.Ballot is { Eligible: > 0 }, "the ballot is open");
        CommandResponse? last = null;
        foreach (var member in new[] { "p-member-chen", "p-member-he", "p-member-li", "p-member-lin", "p-member-sun", "p-member-wu", "p-member-xu" })
        {
            var client = await SignInAsync(newHttpClient, member);
            var item = (await client.GetInboxAsync()).Single(i => i.InstanceId == id);
            last = await client.VoteAsync(id, item.StepId, new VoteRequest { Choice = "consent" });
        }

        log.Add($"after the 7th vote: {last!.Status} {last.Result}");

        // The unit reads the outcome and its numbered reply; anyone can verify the reply without signing in.
        var done = await unit.GetInstanceAsync(id);
        Check(done.Status == "completed", $"status {done.Status}");
        var reply = done.Documents.Single();
        var verified = await anonymous.VerifyReplyAsync(reply.Number, reply.VerificationCode);
        Check(verified.Valid && verified.Number == reply.Number, $"verification of {reply.Number}");
        log.Add($"reply {reply.Number} issued {reply.IssuedAt:O}, verified: {verified.Valid} ({verified.IssuedOn}, {verified.Outcome})");

        var timeline = await unit.GetTimelineAsync(id);
        var chain = await unit.VerifyTimelineAsync(id);
        log.Add($"timeline: {timeline.Events.Count} events, chain {(chain.Intact ? "intact" : "broken")}");
        Check(chain.Intact, "the journal's hash chain is intact");

        // A wrong code is refused with the documented 404 (an ApiException carrying the ProblemDetails).
        try
        {
            await anonymous.VerifyReplyAsync(reply.Number, "WRONG-CODE");
            Check(false, "a wrong code was accepted");
        }
        catch (ApiException<ProblemDetails> problem) when (problem.StatusCode == 404)
        {
            log.Add($"wrong code: {problem.StatusCode} {problem.Result.Title}");
        }

        return done.Result!;
    }

    private static async Task<WorkflowHostClient> SignInAsync(Func<HttpClient> newHttpClient, string personId)
    {
        var http = newHttpClient();
        var token = await new WorkflowHostClient(http).PostAccountTokenAsync(new TokenRequest { UserName = personId, Password = DemoPassword });
        Check(token.TokenType == "Bearer" && token.ExpiresIn > 0, $"token for {personId}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(token.TokenType, token.AccessToken);
        return new WorkflowHostClient(http);
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("through the generated client: " + what);
        }
    }
}
