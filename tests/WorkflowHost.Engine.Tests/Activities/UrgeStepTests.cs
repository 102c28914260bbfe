using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>催办: the office or the secretary reminds, now, everyone who has not acted on a step; once per working day.</summary>
public sealed class UrgeStepTests
{
    [Fact]
    public void The_office_urges_the_members_who_have_not_voted_and_the_urge_is_journaled()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        var eligible = MembersExcept(DetaiMember);
        driver.Votes(ballot, "consent", eligible.Take(2));

        var effects = driver.Send(new UrgeStep(ballot, OfficeXie));

        var reminded = effects.OfType<NotificationRequested>().Select(n => n.RecipientId).Order(StringComparer.Ordinal);
        Assert.Equal(eligible.Skip(2).Order(StringComparer.Ordinal), reminded);
        var urged = Assert.Single(driver.Journal("StepUrged"));
        Assert.Equal(OfficeXie, urged["by"]!.GetValue<string>());
        Assert.Equal("2026-03-02", urged["workingDay"]!.GetValue<string>());
    }

    [Fact]
    public void A_step_is_urged_at_most_once_a_working_day_and_a_weekend_urge_counts_for_monday()
    {
        var driver = Consultation.AtBallot(); // Monday 2 March 2026
        var ballot = driver.BallotBookmarkId();
        driver.Send(new UrgeStep(ballot, Secretary));

        driver.Clock.Advance(TimeSpan.FromHours(6));
        driver.Refuse(new UrgeStep(ballot, OfficeXie), RefusalCode.AlreadyUrged);

        driver.Clock.Advance(TimeSpan.FromDays(1));
        driver.Send(new UrgeStep(ballot, OfficeXie)); // Tuesday

        driver.Clock.Advance(TimeSpan.FromDays(4)); // Saturday 7 March: counts for Monday 9 March
        driver.Send(new UrgeStep(ballot, OfficeXie));
        driver.Clock.Advance(TimeSpan.FromDays(2)); // Monday 9 March
        driver.Refuse(new UrgeStep(ballot, OfficeXie), RefusalCode.AlreadyUrged);
        Assert.Equal(["2026-03-02", "2026-03-03", "2026-03-09"], driver.Journal("StepUrged").Select(j => j["workingDay"]!.GetValue<string>()));
    }

    [Fact]
    public void A_member_cannot_urge_and_an_unknown_step_is_not_found()
    {
        var driver = Consultation.AtBallot();

        driver.Refuse(new UrgeStep(driver.BallotBookmarkId(), MemberLi), RefusalCode.NotAllowed);
        driver.Refuse(new UrgeStep("no-such-step#9", OfficeXie), RefusalCode.NotFound);
    }

    [Fact]
    public void The_office_urges_the_unit_to_amend_a_returned_file()
    {
        var driver = Consultation.ReturnedForAmendment();

        var effects = driver.Send(new UrgeStep(driver.OpenBookmark(Consultation.Amend).Id, OfficeXie));

        Assert.Equal([DetaiLiaison], effects.OfType<NotificationRequested>().Select(n => n.RecipientId));
    }
}
