using System.Text.Json.Nodes;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Bench.Engine;

/// <summary>Our engine alone: state kept in memory, every step through <see cref="WorkflowRunner"/>.</summary>
internal sealed class OwnEngineScenario
{
    private readonly WorkflowDefinition _definition;
    private readonly ParticipantDirectory _directory;
    private readonly WorkingCalendar _calendar = WorkingCalendar.WeekdaysOnly();
    private readonly DateTimeOffset _now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);
    private long _replyNumbers;

    public OwnEngineScenario(bool secret)
    {
        var json = JsonNode.Parse(File.ReadAllText(RepositoryFile("workflows/promotion-consultation.json")))!.AsObject();
        json["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "committee-ballot")!["secret"] = secret;
        _definition = DefinitionReader.Read("promotion-consultation.json", json.ToJsonString());
        _directory = new ParticipantDirectory(Scenario.Members
            .Select(m => new DirectoryPerson(m, null, new HashSet<string> { "committee-member" }))
            .Append(new DirectoryPerson("p-member-liu", "unit-housing-bureau", new HashSet<string> { "committee-member" }))
            .Append(new DirectoryPerson("p-liaison-gao", "unit-housing-bureau", new HashSet<string> { "unit-liaison" }))
            .Append(new DirectoryPerson("p-office-xie", null, new HashSet<string> { "office" })));
    }

    public long RepliesIssued => Interlocked.Read(ref _replyNumbers);

    /// <summary>Runs one consultation to its end; returns the consent votes counted.</summary>
    public int RunOne()
    {
        var state = StateAtBallot(Scenario.Votes);
        if (state.Status != InstanceStatus.Completed || state.Result != "consent")
        {
            throw new InvalidOperationException($"Scenario ended {state.Status}/{state.Result}.");
        }

        return state.Variables["committee-ballot"]!["totals"]!["consent"]!.GetValue<int>();
    }

    /// <summary>A consultation whose ballot has received <paramref name="votes"/> votes (all of them: the consultation has ended).</summary>
    public InstanceState StateAtBallot(int votes)
    {
        var context = new RunContext(_now, _directory, _calendar);
        var input = new JsonObject
        {
            ["kind"] = "promotion", ["nomineeName"] = "周立新", ["nomineePost"] = "科长", ["partyMembership"] = "full-member",
            ["reason"] = "工作扎实", ["replyNeededBy"] = "2026-12-31",
        };
        var state = Apply(WorkflowRunner.Start(_definition, new StartInstance(Guid.NewGuid(), "binhe", "p-liaison-gao", input), context));
        state = Apply(WorkflowRunner.Resume(_definition, state, new CompleteTask(state.Bookmarks[0].Id, "p-office-xie", "accept"), context));
        for (var i = 0; i < votes; i++)
        {
            state = Apply(WorkflowRunner.Resume(_definition, state, new CastVote(state.Bookmarks[0].Id, Scenario.Members[i], Scenario.ChoiceOf(i)), VoteContext(state)));
        }

        return state;
    }

    /// <summary>The next member's vote on <paramref name="state"/>, which is left as it was (the runner works on a copy).</summary>
    public RunResult VoteOnce(InstanceState state, int voter) =>
        WorkflowRunner.Resume(_definition, state, new CastVote(state.Bookmarks[0].Id, Scenario.Members[voter], Scenario.ChoiceOf(voter)), VoteContext(state));

    /// <summary>
    /// What the store hands a step of a secret ballot (decision 91): the choices cast so far, unsealed. Members vote in
    /// scenario order, so they are the choices of the first voters; an open ballot needs none.
    /// </summary>
    private RunContext VoteContext(InstanceState state)
    {
        var ballot = state.Bookmarks[0];
        var cast = ballot.Ballot is { Secret: true } secret ? secret.Participants.Count : 0;
        return new RunContext(_now, _directory, _calendar, new UnsealedChoices(new Dictionary<string, IReadOnlyList<string>>
        {
            [ballot.Id] = [.. Enumerable.Range(0, cast).Select(Scenario.ChoiceOf)],
        }));
    }

    private InstanceState Apply(RunResult result)
    {
        if (!result.Accepted)
        {
            throw new InvalidOperationException(result.Refusal!.Message);
        }

        // What the store would do with the effects that write back into the state: hand out the reply's number.
        foreach (var request in result.Effects.OfType<NumberRequested>())
        {
            result.State!.Variables[request.ActivityId] = new JsonObject { ["number"] = NumberFormat.Apply(request.Format, request.Year, Interlocked.Increment(ref _replyNumbers)) };
        }

        foreach (var request in result.Effects.OfType<DocumentRequested>())
        {
            result.State!.Variables[request.ActivityId] = new JsonObject
            {
                ["number"] = NumberFormat.Apply(request.Format, request.Year, Interlocked.Increment(ref _replyNumbers)),
                ["series"] = request.Series, ["document"] = request.Document, ["issuedAt"] = _now,
            };
        }

        return result.State!;
    }

    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }
}
