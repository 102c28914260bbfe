using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Ledger;

/// <summary>Steps the ledger tests share: submissions with a chosen nominee, a consultation voted through to its reply.</summary>
internal static class LedgerScenario
{
    public static JsonObject Consultation(string nominee, string kind = "promotion")
    {
        var input = ApiDriver.ConsultationInput();
        input["nomineeName"] = nominee;
        input["kind"] = kind;
        return input;
    }

    /// <summary>Accepted by the office, then every eligible member votes consent until the reply is issued.</summary>
    public static async Task<(Guid Id, string Number, string Code)> RepliedAsync(ApiDriver api, string nominee, string kind = "award")
    {
        var id = await api.SubmitAsync(People.Liaison, Consultation(nominee, kind));
        var accepted = await api.PostAsync(People.Office, ApiDriver.Step(id, "office-check#1", "complete"), new { outcome = "accept" });
        Assert.True(accepted.Status == HttpStatusCode.OK, accepted.ToString());
        var ballot = (await api.InstanceAsync(id))["currentSteps"]!.AsArray().Single(s => s!["ballot"] is not null)!;
        var step = ballot["stepId"]!.GetValue<string>();
        foreach (var voter in ballot["ballot"]!["voterList"]!.AsArray().Where(v => v!["status"]!.GetValue<string>() == "pending"))
        {
            if ((await api.InstanceAsync(id))["status"]!.GetValue<string>() != "running")
            {
                break;
            }

            var vote = await api.PostAsync(voter!["person"]!["id"]!.GetValue<string>(), ApiDriver.Step(id, step, "vote"), new { choice = "consent" });
            Assert.True(vote.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, vote.ToString());
        }

        var done = await api.InstanceAsync(id);
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var document = done["documents"]!.AsArray().Last()!;
        return (id, document["number"]!.GetValue<string>(), document["verificationCode"]!.GetValue<string>());
    }
}
