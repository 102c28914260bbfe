using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>Every file in the repository's <c>workflows/</c> folder must load.</summary>
public sealed class ShippedWorkflowsTests
{
    public static TheoryData<string> WorkflowFiles =>
        [.. Directory.EnumerateFiles(RepositoryPaths.Workflows, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void A_shipped_workflow_is_valid(string file)
    {
        var definition = DefinitionReader.Read(file, File.ReadAllBytes(Path.Combine(RepositoryPaths.Workflows, file)));

        Assert.Matches("^[0-9a-f]{64}$", definition.ContentHash);
    }

    [Fact]
    public void The_folder_reads_as_a_whole()
    {
        var files = Directory.GetFiles(RepositoryPaths.Workflows, "*.json");

        var definitions = DefinitionReader.ReadDirectory(RepositoryPaths.Workflows);

        Assert.NotEmpty(files);
        Assert.Equal(files.Length, definitions.Count);
        Assert.Contains(definitions, d => d.Id == "promotion-consultation");
    }

    [Fact]
    public void The_consultation_ballot_uses_the_committee_rule_and_recuses_the_submitting_unit()
    {
        var ballot = Assert.IsType<BallotActivity>(TestDefinitions.PromotionConsultation.GetActivity(Consultation.Ballot));

        Assert.Equal(BallotRule.Default, ballot.Rule);
        Assert.True(ballot.RecuseSubmittingUnit);
        // The ballot is due in five working days and escalates when overdue; it is never closed (let alone passed) by time.
        Assert.Equal(5, ballot.Due?.WorkingDays);
        Assert.Null(ballot.ClosesAfter);
    }

    [Theory]
    [InlineData(BallotOutcomes.Rejected)]
    [InlineData(BallotOutcomes.NoQuorum)]
    public void Only_a_passed_ballot_leads_to_consent(string outcome)
    {
        var definition = TestDefinitions.PromotionConsultation;
        var reached = new HashSet<string>();
        var queue = new Queue<string>(definition.TransitionsFrom(Consultation.Ballot, outcome).Select(t => t.To));
        while (queue.TryDequeue(out var id))
        {
            if (id != Consultation.Ballot && reached.Add(id))
            {
                foreach (var next in definition.Transitions.Where(t => t.From == id))
                {
                    queue.Enqueue(next.To);
                }
            }
        }

        Assert.NotEmpty(reached);
        Assert.DoesNotContain("end-consent", reached);
    }

    [Fact]
    public void A_broken_file_in_a_folder_is_named_in_the_error()
    {
        var folder = Directory.CreateTempSubdirectory("workflows-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "good.json"), SampleDefinition.Json);
            File.WriteAllText(Path.Combine(folder, "typo.json"), SampleDefinition.With(d => d["id"] = "typo").Replace("\"humanTask\"", "\"humanTsak\"", StringComparison.Ordinal));

            var error = Assert.Single(Assert.Throws<DefinitionException>(() => DefinitionReader.ReadDirectory(folder)).Errors);

            Assert.Equal(("typo.json", "$.activities[0].type"), (error.File, error.Path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
