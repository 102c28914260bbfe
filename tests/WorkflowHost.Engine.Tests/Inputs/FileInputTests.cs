using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Inputs;

/// <summary>A <c>file</c> field: ids in, references with SHA-256 out, the journal carrying the hash, and the definition's rules.</summary>
public sealed class FileInputTests
{
    private const string End = """{ "id": "finish", "type": "end", "result": "done" }""";

    private static readonly AttachmentReference Scan = new(Guid.Parse("01938a5e-0000-7000-8000-000000000001"), new string('a', 64), "考察材料.pdf", 2048, FileKind.Pdf);
    private static readonly AttachmentReference Photo = new(Guid.Parse("01938a5e-0000-7000-8000-000000000002"), new string('b', 64), "照片.png", 4096, FileKind.Png);

    private static readonly WorkflowDefinition Form = TestDefinitions.Flow(End, "",
        """{ "name": "materials", "type": "file", "required": true, "maxFiles": 1, "maxBytes": 3000, "kinds": ["pdf"], "label": { "zh-CN": "材料", "en": "Materials" } }""");

    private static RunContext Context(params AttachmentReference[] uploads) =>
        new(InputForm.Now, SeedCommunity.Directory, SeedCalendar.Calendar, Attachments: new AttachmentCatalog(uploads));

    [Fact]
    public void An_uploaded_id_becomes_a_reference_and_the_start_event_and_effects_carry_its_hash()
    {
        var input = new JsonObject { ["materials"] = new JsonArray(Scan.Id.ToString()) };

        var result = WorkflowRunner.Start(Form, new StartInstance(Guid.NewGuid(), SeedCommunity.CommunityId, SeedCommunity.DetaiLiaison, input), Context(Scan));

        Assert.True(result.Accepted, result.Refusal?.Message);
        var stored = result.State!.Input["materials"]!.AsArray().Single()!;
        Assert.Equal(Scan.Sha256, stored["sha256"]!.GetValue<string>());
        Assert.Equal("pdf", stored["kind"]!.GetValue<string>());
        var started = result.Effects.OfType<JournalEntry>().First(e => e.Type == JournalEventTypes.InstanceStarted);
        Assert.Contains(Scan.Sha256, started.Data.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal([Scan.Id], result.Effects.OfType<AttachmentsReferenced>().Single().AttachmentIds);
    }

    [Fact]
    public void Unknown_uploads_wrong_kinds_too_large_files_and_too_many_files_are_each_refused()
    {
        var big = Scan with { Id = Guid.NewGuid(), Size = 5000 };
        var cases = new (JsonArray Given, string Key, string Expected)[]
        {
            (new JsonArray(Guid.NewGuid().ToString()), "materials[0]", "is not a file you uploaded"),
            (new JsonArray(Photo.Id.ToString()), "materials[0]", "is PNG; 'materials' takes PDF"),
            (new JsonArray(big.Id.ToString()), "materials[0]", "has 5000 bytes"),
            (new JsonArray(Scan.Id.ToString(), big.Id.ToString()), "materials", "takes at most 1 files"),
            (new JsonArray(), "materials", "needs at least one file"),
        };

        foreach (var (given, key, expected) in cases)
        {
            var (normalised, refusal) = InputValidation.Validate(Form, new JsonObject { ["materials"] = given }, Context(Scan, Photo, big));

            Assert.Null(normalised);
            Assert.Contains(expected, Assert.Single(refusal!.FieldErrors![key]), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_a_catalog_no_file_is_known_and_a_step_without_files_emits_no_reference()
    {
        var refused = InputValidation.Validate(Form, new JsonObject { ["materials"] = new JsonArray(Scan.Id.ToString()) },
            new RunContext(InputForm.Now, SeedCommunity.Directory, SeedCalendar.Calendar));
        Assert.NotNull(refused.Refusal);

        var noFiles = TestDefinitions.Flow(End, "", """{ "name": "note", "type": "text", "label": { "zh-CN": "备注", "en": "Note" } }""");
        var result = WorkflowRunner.Start(noFiles, new StartInstance(Guid.NewGuid(), SeedCommunity.CommunityId, SeedCommunity.DetaiLiaison, new JsonObject { ["note"] = "x" }), Context());
        Assert.Empty(result.Effects.OfType<AttachmentsReferenced>());
    }

    [Fact]
    public void An_amendment_keeps_the_files_already_on_the_case_without_a_catalog()
    {
        var stored = new JsonObject { ["materials"] = new JsonArray(Scan.ToJson()) };

        var (normalised, refusal) = InputValidation.Validate(Form, stored.DeepClone().AsObject(), Context(), previous: stored);

        Assert.Null(refusal);
        Assert.Equal(stored.ToJsonString(), normalised!.ToJsonString());
    }

    [Theory]
    [InlineData("""{ "name": "f", "type": "file", "maxFiles": 0, "label": { "zh-CN": "文件", "en": "File" } }""", "maxFiles")]
    [InlineData("""{ "name": "f", "type": "file", "maxBytes": 104857601, "label": { "zh-CN": "文件", "en": "File" } }""", "maxBytes must be between")]
    [InlineData("""{ "name": "f", "type": "file", "kinds": ["pdf", "pdf"], "label": { "zh-CN": "文件", "en": "File" } }""", "kinds lists each kind once")]
    [InlineData("""{ "name": "f", "type": "file", "kinds": ["exe"], "label": { "zh-CN": "文件", "en": "File" } }""", "kinds")]
    [InlineData("""{ "name": "f", "type": "text", "maxFiles": 2, "label": { "zh-CN": "文件", "en": "File" } }""", "maxFiles applies to file fields only")]
    [InlineData("""{ "name": "f", "type": "text", "kinds": ["pdf"], "label": { "zh-CN": "文件", "en": "File" } }""", "kinds applies to file fields only")]
    public void The_validator_refuses_bad_file_rules(string field, string expected)
    {
        var error = Assert.Throws<DefinitionException>(() => TestDefinitions.Flow(End, "", field));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
