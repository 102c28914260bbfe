using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Inputs;

/// <summary>
/// The one rule for which field an error key or form name points at, shared by the start request's pre-check (which
/// leaves file and directory fields to the step) and the task page's amendment form (which shows files by id).
/// </summary>
public sealed class FieldKeysTests
{
    private static readonly WorkflowDefinition Form = TestDefinitions.Flow(
        """{ "id": "finish", "type": "end", "result": "done" }""",
        "",
        """
        { "name": "materials", "type": "file", "label": { "zh-CN": "材料", "en": "Materials" } },
        { "name": "unit", "type": "unit", "label": { "zh-CN": "单位", "en": "Unit" } },
        { "name": "title", "type": "text", "label": { "zh-CN": "标题", "en": "Title" } },
        {
          "name": "actions", "type": "list", "label": { "zh-CN": "事项", "en": "Actions" },
          "items": [
            { "name": "owner", "type": "person", "label": { "zh-CN": "责任人", "en": "Owner" } },
            { "name": "files", "type": "file", "label": { "zh-CN": "附件", "en": "Files" } },
            { "name": "note", "type": "text", "label": { "zh-CN": "说明", "en": "Note" } }
          ]
        }
        """);

    [Theory]
    [InlineData("materials", "materials")]
    [InlineData("materials[0]", "materials")]
    [InlineData("actions", "actions")]
    [InlineData("actions[1]", "actions")]
    [InlineData("actions[1].owner", "owner")]
    [InlineData("actions[0].files[2]", "files")]
    public void A_key_names_the_field_or_the_list_items_field(string key, string field) =>
        Assert.Equal(field, FieldKeys.FieldOf(Form.Inputs, key)?.Name);

    [Theory]
    [InlineData("nothing")]
    [InlineData("actions[0].nothing")]
    public void A_key_for_no_field_names_none(string key) => Assert.Null(FieldKeys.FieldOf(Form.Inputs, key));

    [Theory]
    [InlineData("materials", true, false)]
    [InlineData("materials[1]", true, false)]
    [InlineData("actions[0].files[0]", true, false)]
    [InlineData("unit", false, true)]
    [InlineData("actions[3].owner", false, true)]
    [InlineData("actions[3]", false, false)]
    [InlineData("actions[0].note", false, false)]
    [InlineData("title", false, false)]
    public void Files_and_directory_fields_are_told_apart(string key, bool file, bool directory)
    {
        Assert.Equal(file, FieldKeys.IsFile(Form.Inputs, key));
        Assert.Equal(directory, FieldKeys.ReadsDirectory(Form.Inputs, key));
    }
}
