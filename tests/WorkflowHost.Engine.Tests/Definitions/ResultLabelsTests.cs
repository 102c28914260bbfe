using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>
/// The one lookup of a result's words: the label of the end that sets the result, per definition; nothing for a result
/// no end labels, an unknown result, no result yet, or no definition.
/// </summary>
public sealed class ResultLabelsTests
{
    private static WorkflowDefinition Shipped(string file) =>
        DefinitionReader.Read(file, File.ReadAllBytes(Path.Combine(RepositoryPaths.Workflows, file)));

    [Fact]
    public void A_labelled_end_gives_its_result_words_in_both_languages()
    {
        var registration = Shipped("in-service-registration.json");

        var label = ResultLabels.Find(registration, "given-up");

        Assert.NotNull(label);
        Assert.Equal("已放弃", label.For("zh-CN"));
        Assert.Equal("Given up", label.For("en"));
    }

    [Fact]
    public void Each_definition_answers_with_its_own_words_for_the_same_result()
    {
        // Both processes end "declined", in different words; the index is per definition, never shared.
        Assert.Equal("未获批准", ResultLabels.Find(Shipped("activity-co-organisation.json"), "declined")?.For("zh-CN"));
        Assert.Equal("未列入议程", ResultLabels.Find(Shipped("joint-affairs-discussion.json"), "declined")?.For("zh-CN"));
    }

    [Theory]
    [InlineData("withdrawn")]
    [InlineData("no-such-result")]
    [InlineData("")]
    [InlineData(null)]
    public void A_result_no_end_labels_has_no_words(string? result) =>
        Assert.Null(ResultLabels.Find(Shipped("in-service-registration.json"), result));

    [Fact]
    public void No_definition_has_no_words() => Assert.Null(ResultLabels.Find(null, "registered"));
}
