using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>Drives the promotion consultation (without reminders, ballot closing at its deadline) to its waiting points.</summary>
internal static class Consultation
{
    public const string OfficeCheck = "office-check";
    public const string Amend = "amend";
    public const string Ballot = "committee-ballot";

    /// <summary>Submitted by a unit liaison (Detai by default, whose member Zheng is then recused); waiting for the office.</summary>
    public static InstanceDriver Submitted(string liaison = SeedCommunity.DetaiLiaison, JsonObject? input = null) =>
        InstanceDriver.Started(TestDefinitions.ConsultationWithClosingBallot, liaison, input ?? PromotionInput.Valid());

    /// <summary>The office returned the file; waiting for the unit to amend it.</summary>
    public static InstanceDriver ReturnedForAmendment(JsonObject? input = null)
    {
        var driver = Submitted(input: input);
        driver.Send(new CompleteTask(driver.OpenBookmark(OfficeCheck).Id, SeedCommunity.OfficeXie, "return", "请补充推荐理由"));
        return driver;
    }

    /// <summary>The office accepted the file; the committee ballot is open.</summary>
    public static InstanceDriver AtBallot(string liaison = SeedCommunity.DetaiLiaison)
    {
        var driver = Submitted(liaison);
        driver.Send(new CompleteTask(driver.OpenBookmark(OfficeCheck).Id, SeedCommunity.OfficeXie, "accept"));
        return driver;
    }

    public static string BallotBookmarkId(this InstanceDriver driver) => driver.OpenBookmark(Ballot).Id;

    /// <summary>Each voter casts <paramref name="choice"/> on the ballot <paramref name="bookmarkId"/>; all must be accepted.</summary>
    public static void Votes(this InstanceDriver driver, string bookmarkId, string choice, IEnumerable<string> voters)
    {
        foreach (var voter in voters)
        {
            driver.Send(new CastVote(bookmarkId, voter, choice));
        }
    }
}
