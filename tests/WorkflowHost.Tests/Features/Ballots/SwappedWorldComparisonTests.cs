namespace WorkflowHost.Tests.Features.Ballots;

/// <summary>
/// The leak scan's comparison on made-up parts: what links a member to a choice still differs once ids are set aside,
/// and one difference stays in the part where it is.
/// </summary>
public sealed class SwappedWorldComparisonTests
{
    private static readonly string Li = Guid.NewGuid().ToString();
    private static readonly string Zhao = Guid.NewGuid().ToString();

    [Fact]
    public void A_name_next_to_a_choice_is_a_difference()
    {
        var differences = Compare(
            [("log #1", $"Debug Votes[1] p-member-li chose object in {Guid.NewGuid()}")],
            [("log #1", $"Debug Votes[1] p-member-li chose consent in {Guid.NewGuid()}")]);

        Assert.Equal("log #1", Assert.Single(differences).Key);
    }

    [Fact]
    public void Choices_in_the_order_of_the_votes_are_a_difference()
    {
        var differences = Compare([("row SealedChoices", "object, consent")], [("row SealedChoices", "consent, object")]);

        Assert.Single(differences);
    }

    [Fact]
    public void An_id_that_links_a_later_part_to_the_vote_that_wrote_it_is_still_followed()
    {
        // Each vote's log names the row it wrote (random ids, different in each world); a later part lists the rows by
        // choice. Only the link back to the vote tells who chose what, and it differs with the choices swapped.
        var (liRow, zhaoRow) = (Guid.NewGuid(), Guid.NewGuid());
        var (liRowThere, zhaoRowThere) = (Guid.NewGuid(), Guid.NewGuid());
        var differences = Compare(
            [("log #1 li", $"wrote {liRow}"), ("log #2 zhao", $"wrote {zhaoRow}"), ("log #3", $"object: {liRow}; consent: {zhaoRow}")],
            [("log #1 li", $"wrote {liRowThere}"), ("log #2 zhao", $"wrote {zhaoRowThere}"), ("log #3", $"object: {zhaoRowThere}; consent: {liRowThere}")]);

        Assert.Equal("log #3", Assert.Single(differences).Key);
    }

    [Fact]
    public void One_early_difference_does_not_rename_the_ids_of_every_later_part()
    {
        // A one-time start-up entry (with an id of its own) logged in one world's first request and not the other's.
        var (instance, instanceThere) = (Guid.NewGuid(), Guid.NewGuid());
        var differences = Compare(
            [("log #1", $"Loaded key {Guid.NewGuid()}"), ("log #2", $"started {instance}"), ("log #3", $"voted in {instance} as {Li}")],
            [("log #1", "nothing loaded"), ("log #2", $"started {instanceThere}"), ("log #3", $"voted in {instanceThere} as {Zhao}")]);

        Assert.Equal(["log #1"], differences.Select(d => d.Key));
    }

    [Fact]
    public void The_report_starts_with_the_first_difference_in_full()
    {
        var long1 = "Debug Long[1] " + new string('x', 4000) + " object";
        var long2 = "Debug Long[1] " + new string('x', 4000) + " consent";
        var differences = Compare([("log #7", $"same\n{long1}"), ("log #8", "a")], [("log #7", $"same\n{long2}"), ("log #8", "b")]);

        var report = SecretBallotLeakScanTests.Report(differences);

        Assert.StartsWith($"2 differences; the first:\nlog #7 differs with the choices swapped, line 1:\n  both:        same\n  one world:   {long1}\n  other world: {long2}\n", report, StringComparison.Ordinal);
    }

    private static List<WorldDifference> Compare(List<(string Key, string Text)> one, List<(string Key, string Text)> other) =>
        SwappedWorldComparison.Compare(one, "", other, "");
}
