using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>抄送: the submitting unit or the office copies people on a case; they may read it and hear its outcome, with no task.</summary>
public sealed class CopyTests
{
    private const string Street = "p-street-qian";
    private const string OtherLiaison = "p-liaison-gao";

    [Fact]
    public void The_unit_copies_the_street_committee_who_gets_read_access_and_a_notice_but_no_task_and_it_is_journaled()
    {
        var driver = Consultation.Submitted();
        var openBefore = driver.State.Bookmarks.Count;

        var effects = driver.Send(new CopyCase(DetaiLiaison, [Street], "请街道党工委知悉"));

        var readers = Assert.Single(effects.OfType<CaseReadersAdded>());
        Assert.Equal([Street], readers.PersonIds);
        Assert.Equal((CaseReaderReason.Copied, DetaiLiaison), (readers.Reason, readers.AddedBy));
        var copied = Assert.Single(driver.Journal(JournalEventTypes.CaseCopied));
        Assert.Equal(DetaiLiaison, copied["by"]!.GetValue<string>());
        Assert.Equal([Street], copied["to"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("请街道党工委知悉", copied["note"]!.GetValue<string>());
        var notice = Assert.Single(effects.OfType<NotificationRequested>());
        Assert.Equal((Street, "case-copied"), (notice.RecipientId, notice.Template));
        Assert.Equal(openBefore, driver.State.Bookmarks.Count);
        Assert.DoesNotContain(effects, e => e is TaskOpened);
        Assert.Equal([Street], driver.State.CopiedTo);
    }

    [Fact]
    public void Everyone_copied_is_told_the_outcome_once_when_the_case_ends()
    {
        var driver = Consultation.Submitted();
        driver.Send(new CopyCase(OfficeXie, [Street, MemberLi]));

        var effects = driver.Send(new Withdraw(DetaiLiaison, "人选调整"));

        var outcomes = effects.OfType<NotificationRequested>().Where(n => n.Template == "case-outcome").ToList();
        Assert.Equal([Street, MemberLi], outcomes.Select(n => n.RecipientId));
        Assert.All(outcomes, n => Assert.Equal("withdrawn", n.Data["result"]!.GetValue<string>()));
        Assert.All(outcomes, n => Assert.Null(n.Data["resultLabel.zh-CN"])); // a withdrawal ends at no labelled end
    }

    [Fact]
    public void Copying_is_refused_to_others_than_the_unit_and_the_office_to_people_the_process_does_not_name_and_twice()
    {
        var driver = Consultation.Submitted();

        driver.Refuse(new CopyCase(MemberLi, [Street]), RefusalCode.NotAllowed);
        driver.Refuse(new CopyCase(OtherLiaison, [Street]), RefusalCode.NotAllowed);
        driver.Refuse(new CopyCase(DetaiLiaison, [LawFirmLiaison]), RefusalCode.NotAllowed);
        driver.Refuse(new CopyCase(DetaiLiaison, []), RefusalCode.InvalidInput);
        driver.Send(new CopyCase(DetaiLiaison, [Street]));
        driver.Refuse(new CopyCase(OfficeXie, [MemberLi, Street]), RefusalCode.AlreadyCopied);
        Assert.Equal([Street], driver.State.CopiedTo);
    }

    [Fact]
    public void A_process_without_copy_refuses_it()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowHost.Testing.RepositoryPaths.Workflows, "promotion-consultation.json")))!.AsObject();
        root.Remove("copy");
        var driver = InstanceDriver.Started(DefinitionReader.Read("no-copy.json", root.ToJsonString()), DetaiLiaison, PromotionInput.Valid());

        var refusal = driver.Refuse(new CopyCase(DetaiLiaison, [Street]), RefusalCode.NotAllowed);
        Assert.Contains("does not let its cases be copied", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_whose_copy_names_nobody_is_refused()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowHost.Testing.RepositoryPaths.Workflows, "promotion-consultation.json")))!.AsObject();
        root["copy"] = new JsonObject { ["to"] = new JsonArray() };

        var error = Assert.Throws<DefinitionException>(() => DefinitionReader.Read("copy-nobody.json", root.ToJsonString()));
        Assert.Contains("copy", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
