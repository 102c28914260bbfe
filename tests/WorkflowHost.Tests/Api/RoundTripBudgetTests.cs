using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// How many SQL commands a request sends, counted, never timed (issue 18): a change that adds a round trip to the vote,
/// the submission or the inbox fails here in CI, on a quiet or a busy machine alike. The budgets are the counts reached;
/// raise one only with a reason in docs/benchmarks.md ("Round trips per request"). Counted warm, as the load benchmark
/// measures: the caller has signed in, the community's directory and the definition's revision are cached.
/// </summary>
public abstract class RoundTripBudgetTests : IAsyncLifetime
{
    /// <summary>
    /// The most commands each request may send on this database. SQLite's provider sends every INSERT on its own (in
    /// process, no network), PostgreSQL's batches a step's inserts into one command, so the start's budgets differ. A vote
    /// writes through its own statements (StepWrites: the voter, the journal, the answer and the state in one command),
    /// so its budget is the same on both: the session check, the step's read, the step's write.
    /// </summary>
    protected abstract Budget Budgets { get; }

    private static readonly string[] Members = ["p-member-li", "p-member-zhao", "p-member-sun", "p-member-zhou"];

    private CountedHost _host = null!;

    /// <summary>True for the PostgreSQL subclass: the host gets a database of its own on the test server.</summary>
    protected abstract bool OnPostgreSql { get; }

    private ApiDriver Api => _host.Api;

    public async ValueTask InitializeAsync() => _host = await CountedHost.StartAsync(OnPostgreSql);

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_vote_that_does_not_close_the_ballot_stays_within_its_round_trips()
    {
        var warm = await Api.AtBallotAsync();
        var counted = await Api.AtBallotAsync();
        Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync("warm-up", Members[0], HttpMethod.Post, ApiDriver.Step(warm, "committee-ballot#2", "vote"), new { choice = "consent" })).Status);

        var reply = await _host.SendAsync("vote", Members[1], HttpMethod.Post, ApiDriver.Step(counted, "committee-ballot#2", "vote"), new { choice = "object" });

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal("running", reply.Body["status"]!.GetValue<string>());
        _host.AssertWithin("vote", Budgets.Vote, mustInclude: "UPDATE");
    }

    /// <summary>
    /// The seventh consent of twelve eligible decides the ballot: the vote closes the committee's work items, cancels the
    /// ballot's timers, issues the reply's number and document and plans the announcements, in the step's transaction.
    /// </summary>
    [Fact]
    public async Task A_vote_that_closes_the_ballot_stays_within_its_round_trips()
    {
        await DecideTwoBallotsAsync(countedAs: "closing");

        _host.AssertWithin("closing", Budgets.ClosingVote, mustInclude: "UPDATE");
    }

    /// <summary>
    /// Two ballots decided by their seventh consent: the first warms the host's paths up, the second's deciding vote is
    /// logged under <paramref name="countedAs"/>.
    /// </summary>
    private async Task DecideTwoBallotsAsync(string countedAs)
    {
        var warm = await Api.AtBallotAsync();
        var counted = await Api.AtBallotAsync();
        foreach (var ballot in new[] { warm, counted })
        {
            foreach (var voter in Deciders.SkipLast(1))
            {
                var vote = await _host.SendAsync("before", voter, HttpMethod.Post, ApiDriver.Step(ballot, "committee-ballot#2", "vote"), new { choice = "consent" });
                Assert.True(vote.Status == HttpStatusCode.OK, vote.ToString());
            }

            var tag = ballot == warm ? "warm-up" : countedAs;
            var reply = await _host.SendAsync(tag, Deciders[^1], HttpMethod.Post, ApiDriver.Step(ballot, "committee-ballot#2", "vote"), new { choice = "consent" });
            Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
            Assert.Equal("completed", reply.Body["status"]!.GetValue<string>());
        }
    }

    /// <summary>
    /// The deciding vote takes the reply's number (<c>NumberSeries</c>'s upsert) and holds that row's lock until its commit;
    /// every deciding vote of the community queues on it (docs/benchmarks.md 21d). So after the number the vote sends only
    /// the step's write, and on PostgreSQL that write carries the COMMIT, one round trip with the lock held (decision 180):
    /// no read, no insert of its own, no COMMIT sent apart. On SQLite (no round trips, the commit the group's) the same
    /// order: the step's write is the first command after the number.
    /// </summary>
    [Fact]
    public async Task The_deciding_vote_sends_only_its_write_and_commit_after_taking_the_number()
    {
        await DecideTwoBallotsAsync(countedAs: "number-held");

        var sent = _host.Log.InOrderFor("number-held");
        var described = "The deciding vote sent, in order:\n" + string.Join("\n", sent.Select((sql, i) => $"{i + 1}. {OneLine(sql)}"));
        TestContext.Current.TestOutputHelper?.WriteLine(described);
        var number = sent.ToList().FindIndex(sql => sql.Contains("\"NumberSeries\"", StringComparison.Ordinal));
        Assert.True(number >= 0, "No number taken.\n" + described);
        var afterNumber = sent.Skip(number + 1).ToList();
        Assert.True(afterNumber.Count > 0, described);
        var write = afterNumber[0];
        Assert.True(write.Contains("UPDATE \"Instances\"", StringComparison.Ordinal), "The first command after the number is not the step's write.\n" + described);
        Assert.Contains("INSERT INTO \"IssuedDocument\"", write, StringComparison.Ordinal);
        if (OnPostgreSql)
        {
            // The transaction ends in the write itself: nothing is sent between the number and the commit.
            Assert.True(EndsWithCommit(write), "The step's write does not commit: a COMMIT follows as a round trip of its own.\n" + described);
            Assert.DoesNotContain(afterNumber, sql => sql is "COMMIT" or "ROLLBACK");
        }
    }

    private static bool EndsWithCommit(string sql) =>
        System.Text.RegularExpressions.Regex.IsMatch(sql, @";\s*COMMIT\s*;?\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static string OneLine(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        // Head and tail: a step's write begins with its inserts and ends with the state's update (and its COMMIT, if any).
        return line.Length > 200 ? line[..110] + " … " + line[^80..] : line;
    }

    /// <summary>Seven of the twelve eligible (thirteen less the unit's own member, recused): the seventh consent decides.</summary>
    private static readonly string[] Deciders =
        [People.Member, People.Secretary, "p-member-zhao", "p-member-sun", "p-member-zhou", "p-member-wu", "p-member-chen"];

    /// <summary>
    /// A secret vote that does not close its ballot reads no sealed choice (decision 169): only the step that closes the
    /// ballot counts them. Before, every step of an instance whose secret ballot had votes read and unsealed them all.
    /// </summary>
    [Fact]
    public async Task A_secret_vote_that_does_not_close_the_ballot_reads_no_sealed_choice()
    {
        var warm = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = "无记名表决" }, SecretProcess);
        var counted = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = "无记名表决" }, SecretProcess);
        foreach (var ballot in new[] { warm, counted })
        {
            Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync("before", SecretVoters[0], HttpMethod.Post, ApiDriver.Step(ballot, SecretBallot, "vote"), new { choice = "aye-secret" })).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync("warm-up", SecretVoters[1], HttpMethod.Post, ApiDriver.Step(warm, SecretBallot, "vote"), new { choice = "nay-secret" })).Status);
        var reply = await _host.SendAsync("secret-vote", SecretVoters[1], HttpMethod.Post, ApiDriver.Step(counted, SecretBallot, "vote"), new { choice = "nay-secret" });

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal("running", reply.Body["status"]!.GetValue<string>());
        Assert.Empty(SealedChoiceReads("secret-vote"));
        _host.AssertWithin("secret-vote", Budgets.Vote, mustInclude: "UPDATE");
    }

    /// <summary>
    /// The vote that closes a secret ballot reads that ballot's sealed choices once, by its own id (a compiled query, no
    /// list of ballots), and counts them; its first run, which asked for them, sends nothing (decision 169).
    /// </summary>
    [Fact]
    public async Task The_secret_vote_that_closes_the_ballot_reads_its_sealed_choices_once()
    {
        var warm = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = "无记名表决" }, SecretProcess);
        var counted = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = "无记名表决" }, SecretProcess);
        foreach (var ballot in new[] { warm, counted })
        {
            foreach (var voter in SecretVoters.SkipLast(1))
            {
                var vote = await _host.SendAsync("before", voter, HttpMethod.Post, ApiDriver.Step(ballot, SecretBallot, "vote"), new { choice = "aye-secret" });
                Assert.True(vote.Status == HttpStatusCode.OK, vote.ToString());
            }

            var tag = ballot == warm ? "warm-up" : "secret-closing";
            var reply = await _host.SendAsync(tag, SecretVoters[^1], HttpMethod.Post, ApiDriver.Step(ballot, SecretBallot, "vote"), new { choice = "nay-secret" });
            Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
            Assert.Equal("completed", reply.Body["status"]!.GetValue<string>());
        }

        var read = Assert.Single(SealedChoiceReads("secret-closing"));
        Assert.DoesNotContain("json_each", read, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ANY (", read, StringComparison.OrdinalIgnoreCase);
        _host.AssertWithin("secret-closing", Budgets.ClosingSecretVote, mustInclude: "DELETE FROM \"SealedChoices\"");
    }

    /// <summary>The queries of <paramref name="tag"/> that read sealed choices (the vote's own write only inserts and deletes them).</summary>
    private List<string> SealedChoiceReads(string tag) =>
        [.. _host.Log.For(tag).Where(sql => System.Text.RegularExpressions.Regex.IsMatch(sql, @"SELECT\s[^;]*?FROM ""SealedChoices""", System.Text.RegularExpressions.RegexOptions.IgnoreCase))];

    /// <summary>A test process that opens a secret ballot at once; with Liu recused thirteen are eligible, and it closes only when all have voted.</summary>
    private const string SecretProcess = "test-secret-ballot";

    private const string SecretBallot = "secret-vote#1";

    private static readonly string[] SecretVoters =
        [People.Member, "p-member-zhang", "p-member-chen", "p-member-zhao", "p-member-sun", "p-member-zhou", "p-member-wu", "p-member-feng",
         "p-member-he", "p-member-lin", "p-member-xu", "p-member-zheng", People.Secretary];

    /// <summary>
    /// The same vote's round trips, its COMMIT counted with its commands. On PostgreSQL the vote's one write commits
    /// itself (decision 168): the session check, the step's read, the step's write, and no COMMIT; four before.
    /// </summary>
    [Fact]
    public async Task A_vote_that_does_not_close_the_ballot_stays_within_its_round_trips_commit_included()
    {
        var warm = await Api.AtBallotAsync();
        var counted = await Api.AtBallotAsync();
        Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync("warm-up", Members[0], HttpMethod.Post, ApiDriver.Step(warm, "committee-ballot#2", "vote"), new { choice = "consent" })).Status);

        var reply = await _host.SendAsync("vote-trips", Members[1], HttpMethod.Post, ApiDriver.Step(counted, "committee-ballot#2", "vote"), new { choice = "object" });

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal("running", reply.Body["status"]!.GetValue<string>());
        _host.AssertRoundTripsWithin("vote-trips", Budgets.VoteRoundTrips, mustInclude: "UPDATE");
    }

    /// <summary>
    /// A vote whose session this host checked in full on an earlier request reuses that check (decision 173): no session
    /// query, the check's authorization epoch verified in the step's own read. The step's read and its write; on
    /// PostgreSQL two round trips where a vote checked in full makes three.
    /// </summary>
    [Fact]
    public async Task A_vote_on_a_reused_session_check_sends_no_session_query()
    {
        var warm = await Api.AtBallotAsync();
        var counted = await Api.AtBallotAsync();
        Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync("warm-up", Members[0], HttpMethod.Post, ApiDriver.Step(warm, "committee-ballot#2", "vote"), new { choice = "consent" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync("full-check", Members[1], HttpMethod.Get, "/api/account/me")).Status);

        var reply = await _host.SendAsync("reused-check", Members[1], HttpMethod.Post, ApiDriver.Step(counted, "committee-ballot#2", "vote"), new { choice = "object" });

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Contains(_host.Log.For("full-check"), sql => sql.Contains("\"AccountSessions\"", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Log.For("reused-check"), sql => sql.Contains("\"AccountSessions\"", StringComparison.Ordinal));
        Assert.Contains(_host.Log.For("reused-check"), sql => sql.Contains("\"AuthorizationEpochs\"", StringComparison.Ordinal));
        _host.AssertRoundTripsWithin("reused-check", Budgets.ReusedCheckVoteRoundTrips, mustInclude: "UPDATE");
    }

    /// <summary>
    /// The vote's write binds the step's instance, community and time once for all its statements and writes the voter's
    /// statuses as constants (decision 160): Microsoft.Data.Sqlite tries every parameter on every statement of a command.
    /// The voter's row (7 values), one journal event (8 of its own), the answer (2) and the state (5): 22, where each
    /// statement binding its own made 29. On PostgreSQL every statement's Bind message carries the values it uses, however
    /// the command was written; since the write goes as a positional batch (decision 188) the command shows them so: 7,
    /// 9, 4 and 7, 27, and no named placeholder left for Npgsql to rewrite.
    /// </summary>
    [Fact]
    public async Task A_vote_s_write_binds_each_value_of_the_step_once()
    {
        var warm = await Api.AtBallotAsync();
        var counted = await Api.AtBallotAsync();
        Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync("warm-up", Members[0], HttpMethod.Post, ApiDriver.Step(warm, "committee-ballot#2", "vote"), new { choice = "consent" })).Status);

        var reply = await _host.SendAsync("vote-write", Members[1], HttpMethod.Post, ApiDriver.Step(counted, "committee-ballot#2", "vote"), new { choice = "object" });

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var write = Assert.Single(_host.Log.WithParametersFor("vote-write"), c => c.Sql.Contains("UPDATE \"", StringComparison.Ordinal));
        Assert.Contains("INSERT", write.Sql, StringComparison.OrdinalIgnoreCase);
        var budget = OnPostgreSql ? 27 : 22;
        Assert.True(write.Parameters <= budget, $"The vote's write bound {write.Parameters} parameters (budget {budget}):\n{write.Sql}");
        if (OnPostgreSql)
        {
            Assert.DoesNotContain("@", write.Sql, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_submission_stays_within_its_round_trips()
    {
        await Api.SubmitAsync();

        var reply = await _host.SendAsync("start", People.Liaison, HttpMethod.Post, "/api/instances", new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() });

        Assert.True(reply.Status == HttpStatusCode.Created, reply.ToString());
        _host.AssertWithin("start", Budgets.Start, mustInclude: "INSERT");
    }

    [Fact]
    public async Task An_inbox_read_stays_within_its_round_trips()
    {
        await Api.AtBallotAsync();
        await Api.AtBallotAsync();
        Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync("warm-up", Members[2], HttpMethod.Get, "/api/inbox")).Status);

        var reply = await _host.SendAsync("inbox", Members[2], HttpMethod.Get, "/api/inbox");

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal(2, reply.Body.AsArray().Count);
        _host.AssertWithin("inbox", Budgets.Inbox, mustInclude: "SELECT");
    }
}

/// <summary>
/// Commands per request: a vote on an open ballot that does not close it, a submission, a member's inbox. A step reads
/// its instance once, with the caller's visibility, the answer stored under the idempotency key and the directory's
/// version stamp (decision 110) in the same query. A submission whose nominee is a registered in-service member reads
/// their record (registration, participation, served posts and hours: three queries, issue 15), one more than before; and
/// the annual feedback's evaluations and letters (issue 15, the feedback), one more again.
/// <see cref="VoteRoundTrips"/> counts the vote's COMMIT with its commands: a round trip of its own on PostgreSQL, none
/// there since its one write commits itself (decision 168). <see cref="ClosingSecretVote"/> is the vote that closes a
/// secret ballot: the closing vote's work plus the one read of the ballot's sealed choices and their deletion (decision 169).
/// The closing vote writes the number and the document it issued in the step's own command (decision 175): two inserts
/// fewer on SQLite (10 and 11 before), the change tracker's batch fewer on PostgreSQL (9 and 11 before): 7 and 9 on both.
/// </summary>
/// <see cref="ReusedCheckVoteRoundTrips"/> is the same vote on a session check this host made earlier and reuses (decision
/// 173): the step's read, which verifies the check's epoch, and its write.
public sealed record Budget(int Vote, int Start, int Inbox, int VoteRoundTrips, int ClosingVote, int ClosingSecretVote, int ReusedCheckVoteRoundTrips);

public sealed class RoundTripBudgetOnSqlite : RoundTripBudgetTests
{
    protected override Budget Budgets { get; } = new(Vote: 3, Start: 18, Inbox: 4, VoteRoundTrips: 3, ClosingVote: 7, ClosingSecretVote: 9, ReusedCheckVoteRoundTrips: 2);

    protected override bool OnPostgreSql => false;
}

public sealed class RoundTripBudgetOnPostgreSql : RoundTripBudgetTests
{
    protected override Budget Budgets { get; } = new(Vote: 3, Start: 8, Inbox: 4, VoteRoundTrips: 3, ClosingVote: 7, ClosingSecretVote: 9, ReusedCheckVoteRoundTrips: 2);

    protected override bool OnPostgreSql => true;
}
