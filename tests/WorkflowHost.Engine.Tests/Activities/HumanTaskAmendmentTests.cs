using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>The office returns the file; the unit amends it (<c>amendsInput</c>) and resubmits.</summary>
public sealed class HumanTaskAmendmentTests
{
    [Fact]
    public void An_amendment_is_merged_into_the_input_and_normalised()
    {
        var driver = Consultation.ReturnedForAmendment();
        var amended = new JsonObject { ["reason"] = "  补充：连续三年获评社区优秀志愿者。  ", ["proposedPost"] = "车间主任" };

        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.Amend).Id, DetaiLiaison, "resubmit", AmendedInput: amended));

        var input = driver.State.Input;
        Assert.Equal("补充：连续三年获评社区优秀志愿者。", input["reason"]!.GetValue<string>());
        Assert.Equal("车间主任", input["proposedPost"]!.GetValue<string>());
        Assert.Equal("黄思远", input["nomineeName"]!.GetValue<string>());
        Assert.Equal(["reason", "proposedPost"], Assert.Single(driver.Journal("InputAmended"))["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.True(driver.IsOpen(Consultation.OfficeCheck));
    }

    [Fact]
    public void An_amendment_journals_only_the_fields_it_changed_with_their_values_before_and_after()
    {
        var driver = Consultation.ReturnedForAmendment();
        var before = driver.State.Input.DeepClone().AsObject();
        var resent = before.DeepClone().AsObject(); // a page sends the whole prefilled form back
        resent["reason"] = "补充：连续三年获评社区优秀志愿者。";

        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.Amend).Id, DetaiLiaison, "resubmit", AmendedInput: resent));

        var amended = Assert.Single(driver.Journal("InputAmended"));
        Assert.Equal(["reason"], amended["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        var change = Assert.Single(amended["changes"]!.AsArray())!;
        Assert.Equal("reason", change["field"]!.GetValue<string>());
        Assert.Equal(before["reason"]!.GetValue<string>(), change["before"]!.GetValue<string>());
        Assert.Equal("补充：连续三年获评社区优秀志愿者。", change["after"]!.GetValue<string>());
    }

    [Fact]
    public void An_amendment_is_validated_like_the_start_form()
    {
        var driver = Consultation.ReturnedForAmendment();
        var amended = new JsonObject { ["kind"] = "bonus", ["nomineeName"] = " ", ["nickname"] = "x" };

        var refusal = driver.Refuse(new CompleteTask(driver.OpenBookmark(Consultation.Amend).Id, DetaiLiaison, "resubmit", AmendedInput: amended), RefusalCode.InvalidInput);

        Assert.Equal(["kind", "nickname", "nomineeName"], refusal.FieldErrors!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_amendment_keeps_the_masked_identity_number_it_cannot_check_again()
    {
        var driver = Consultation.ReturnedForAmendment(PromotionInput.WithIdNumber());

        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.Amend).Id, DetaiLiaison, "resubmit", AmendedInput: new JsonObject { ["reason"] = "补充材料" }));

        Assert.Equal(PromotionInput.MaskedIdNumber, driver.State.Input["nomineeIdNumber"]!.GetValue<string>());
    }

    [Fact]
    public void An_amendment_made_after_the_reply_date_keeps_that_date_but_a_new_date_must_not_be_past()
    {
        var driver = Consultation.ReturnedForAmendment();
        driver.Clock.SetUtcNow(new DateTimeOffset(2026, 5, 6, 2, 0, 0, TimeSpan.Zero));
        var amend = driver.OpenBookmark(Consultation.Amend).Id;

        var refusal = driver.Refuse(new CompleteTask(amend, DetaiLiaison, "resubmit", AmendedInput: new JsonObject { ["replyNeededBy"] = "2026-05-01" }), RefusalCode.InvalidInput);
        Assert.Equal(["replyNeededBy"], refusal.FieldErrors!.Keys);

        driver.Send(new CompleteTask(amend, DetaiLiaison, "resubmit", AmendedInput: new JsonObject { ["reason"] = "补充材料" }));
        Assert.Equal("2026-04-30", driver.State.Input["replyNeededBy"]!.GetValue<string>());
    }

    [Fact]
    public void An_amended_identity_number_is_checked_and_masked()
    {
        var driver = Consultation.ReturnedForAmendment(PromotionInput.WithIdNumber());
        var amend = driver.OpenBookmark(Consultation.Amend).Id;

        driver.Refuse(new CompleteTask(amend, DetaiLiaison, "resubmit", AmendedInput: new JsonObject { ["nomineeIdNumber"] = "440524188001010015" }), RefusalCode.InvalidInput);
        driver.Send(new CompleteTask(amend, DetaiLiaison, "resubmit", AmendedInput: new JsonObject { ["nomineeIdNumber"] = "440524188001010014" }));

        Assert.Equal("440***********0014", driver.State.Input["nomineeIdNumber"]!.GetValue<string>());
    }
}
