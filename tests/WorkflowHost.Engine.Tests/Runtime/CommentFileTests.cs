using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>Files on comments (<c>commentFiles</c>): checked like a file field, stored with the comment, their hashes journaled.</summary>
public sealed class CommentFileTests
{
    private static readonly AttachmentReference Scan = new(Guid.Parse("01938a5e-0000-7000-8000-0000000000c1"), new string('c', 64), "补充说明.pdf", 2048, FileKind.Pdf);
    private static readonly AttachmentReference Sheet = new(Guid.Parse("01938a5e-0000-7000-8000-0000000000c2"), new string('d', 64), "统计表.xlsx", 1024, FileKind.Xlsx);
    private static readonly AttachmentReference Large = new(Guid.Parse("01938a5e-0000-7000-8000-0000000000c3"), new string('e', 64), "扫描件.pdf", 9000, FileKind.Pdf);
    private static readonly AttachmentReference Second = new(Guid.Parse("01938a5e-0000-7000-8000-0000000000c4"), new string('f', 64), "附件二.pdf", 100, FileKind.Pdf);

    private static WorkflowDefinition Definition(string commentFiles) => DefinitionReader.Read("commented.json", $$"""
        {
          "id": "commented", "version": 1, "name": { "zh-CN": "议题", "en": "Item" },
          {{commentFiles}}
          "start": "review",
          "activities": [
            { "id": "review", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ] },
            { "id": "end", "type": "end", "result": "done" }
          ],
          "transitions": [ { "from": "review", "outcome": "ok", "to": "end" } ]
        }
        """);

    private static readonly WorkflowDefinition TakesPdfs = Definition("""
        "commentFiles": { "maxFiles": 1, "maxBytes": 4096, "kinds": ["pdf"] },
        """);

    private static InstanceDriver Started(WorkflowDefinition definition)
    {
        var driver = InstanceDriver.Started(definition, DetaiLiaison);
        driver.Uploads = new AttachmentCatalog([Scan, Sheet, Large, Second]);
        return driver;
    }

    [Fact]
    public void A_comments_file_is_stored_with_it_put_on_the_case_and_its_hash_journaled()
    {
        var driver = Started(TakesPdfs);

        var effects = driver.Send(new AddComment(OfficeXie, "附补充说明。", Files: [Scan.Id]));

        var stored = Assert.Single(Assert.Single(effects.OfType<CommentRecorded>()).Files!);
        Assert.Equal((Scan.Id.ToString("D"), Scan.Sha256, Scan.Name, "pdf"),
            (stored!["id"]!.GetValue<string>(), stored["sha256"]!.GetValue<string>(), stored["name"]!.GetValue<string>(), stored["kind"]!.GetValue<string>()));
        Assert.Equal([Scan.Id], Assert.Single(effects.OfType<AttachmentsReferenced>()).AttachmentIds);
        Assert.Contains(Scan.Sha256, Assert.Single(driver.Journal(JournalEventTypes.CommentAdded))["attachments"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_comment_without_files_records_none_and_references_nothing()
    {
        var effects = Started(TakesPdfs).Send(new AddComment(OfficeXie, "收到。"));

        Assert.Null(Assert.Single(effects.OfType<CommentRecorded>()).Files);
        Assert.Empty(effects.OfType<AttachmentsReferenced>());
    }

    [Theory]
    [InlineData("c2", "files[0]", "is XLSX")]
    [InlineData("c3", "files[0]", "has 9000 bytes")]
    [InlineData("c1,c4", "files", "takes at most 1 files")]
    [InlineData("99", "files[0]", "upload it again")]
    public void Files_the_definition_does_not_take_are_refused_by_field_and_nothing_is_recorded(string given, string key, string expected)
    {
        var driver = Started(TakesPdfs);
        var ids = given.Split(',').Select(suffix => Guid.Parse($"01938a5e-0000-7000-8000-0000000000{suffix}")).ToList();

        var refusal = driver.Refuse(new AddComment(OfficeXie, "附件见附。", Files: ids), RefusalCode.InvalidInput);

        Assert.Contains(expected, Assert.Single(refusal.FieldErrors![key]), StringComparison.Ordinal);
        Assert.Empty(driver.EffectsOf<CommentRecorded>());
    }

    [Fact]
    public void A_process_without_comment_files_refuses_a_comment_that_carries_one()
    {
        var refusal = Started(Definition("")).Refuse(new AddComment(OfficeXie, "附件见附。", Files: [Scan.Id]), RefusalCode.InvalidInput);

        Assert.Contains("take no files", Assert.Single(refusal.FieldErrors!["files"]), StringComparison.Ordinal);
    }
}
