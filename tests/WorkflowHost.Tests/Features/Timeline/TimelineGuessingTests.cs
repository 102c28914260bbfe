using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Tests.Features.Ballots;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Timeline;

/// <summary>
/// Guessing what a timeline left out (issue 17, decision 90). Each viewer's timeline is compared with the stored
/// events; wherever a field was left out or changed for that viewer, the test plays the viewer: it tries every value of
/// the field's small domain (every person of the community, every option, nothing; for free text the true text, as
/// the luckiest guesser would) against the published hash of that event, chained on the previous event's published
/// hash, with every hash function the viewer can compute: plain SHA-256 as the journal used to be made, and HMAC under
/// the repository's public development key. No guess may be confirmed. Sensitivity: against the hashes the old scheme
/// made, the same search confirms the true vote of every redacted event.
/// </summary>
public sealed class TimelineGuessingTests
{
    private static readonly string SecretKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static readonly string[] Viewers =
        [People.Liaison, People.OtherLiaison, People.Member, People.UnitsMember, People.Office, People.Secretary, People.Street, People.Administrator, People.InService];

    [Fact]
    public async Task No_viewer_can_confirm_a_guess_about_anything_left_out_of_a_timeline()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Sealing:Key"] = SecretKey });
        SecretBallotWorld.WriteSecretDefinition(factory.DataFolder);
        var api = new ApiDriver(factory);

        // An open ballot (the unit sees no roll call) and a secret one (nobody sees choices), with reasons and a recusal.
        var open = await api.AtBallotAsync();
        var secret = await api.SubmitAsync(process: SecretBallotWorld.Process);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(People.Office, ApiDriver.Step(secret, "office-check#1", "complete"), new { outcome = "accept" })).Status);
        foreach (var instance in new[] { open, secret })
        {
            await VoteAsync(api, instance, People.Member, "object", "材料不全");
            await VoteAsync(api, instance, "p-member-zhao", "consent", null);
            await VoteAsync(api, instance, "p-member-sun", "abstain", null);
            var recused = await api.PostAsync("p-member-he", ApiDriver.Step(instance, "committee-ballot#2", "recuse"), new { reason = "人选系本人亲属" });
            Assert.True(recused.Status == HttpStatusCode.OK, recused.ToString());
            factory.Time.Advance(TimeSpan.FromMinutes(3));
        }

        List<JournalEvent> stored;
        List<string> people;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            stored = await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == open || e.InstanceId == secret).OrderBy(e => e.InstanceId).ThenBy(e => e.Sequence).ToListAsync();
            people = await db.People.AsNoTracking().Select(p => p.Id).OrderBy(id => id).ToListAsync();
        }

        var attacks = new List<(string Name, Func<string, Guid, long, string, DateTimeOffset, string, string> Hash)>
        {
            ("plain SHA-256", (previous, id, sequence, type, at, data) => Convert.ToHexStringLower(SHA256.HashData(Text(previous, id, sequence, type, at, data)))),
            ("HMAC under the development key", (previous, id, sequence, type, at, data) => DevelopmentKeyHash(Text(previous, id, sequence, type, at, data))),
        };

        var redactedSeen = new HashSet<string>(StringComparer.Ordinal);
        var confirmed = new List<string>();
        var tried = 0;
        foreach (var viewer in Viewers)
        {
            foreach (var instance in new[] { open, secret })
            {
                var timeline = await api.GetAsync(viewer, $"/api/instances/{instance}/timeline");
                if (timeline.Status == HttpStatusCode.NotFound)
                {
                    continue;
                }

                Assert.True(timeline.Status == HttpStatusCode.OK, timeline.ToString());
                var shown = timeline.Body["events"]!.AsArray().Select(e => e!).ToList();
                var events = stored.Where(e => e.InstanceId == instance).ToList();
                Assert.Equal(events.Count, shown.Count);
                for (var i = 0; i < events.Count; i++)
                {
                    var full = JsonNode.Parse(events[i].DataJson)!.AsObject();
                    var seen = shown[i]["data"]!.AsObject();
                    var hidden = full.Where(p => !seen.ContainsKey(p.Key) || !JsonNode.DeepEquals(seen[p.Key], p.Value)).Select(p => p.Key).ToList();
                    if (hidden.Count == 0)
                    {
                        continue;
                    }

                    redactedSeen.Add($"{events[i].Type}:{string.Join(",", hidden.Order(StringComparer.Ordinal))}{(instance == secret ? " (secret)" : "")}");
                    var published = shown[i]["hash"]!.GetValue<string>();
                    var previous = i == 0 ? "" : shown[i - 1]["hash"]!.GetValue<string>();
                    foreach (var guess in Guesses(full, hidden, people))
                    {
                        foreach (var (name, hash) in attacks)
                        {
                            tried++;
                            if (hash(previous, instance, events[i].Sequence, events[i].Type, events[i].OccurredAt, guess) == published)
                            {
                                confirmed.Add($"{viewer} confirms {events[i].Type} #{events[i].Sequence} = {guess} by {name}");
                            }
                        }
                    }
                }
            }
        }

        // Every kind of redaction there is was tried: the unit's view of votes, recusals and the ballot's opening, and
        // the secret ballot's choices and reasons for everyone.
        Assert.Contains(redactedSeen, r => r.StartsWith("VoteCast:", StringComparison.Ordinal) && r.Contains("voter", StringComparison.Ordinal) && r.EndsWith("(secret)", StringComparison.Ordinal));
        Assert.Contains(redactedSeen, r => r.StartsWith("VoteCast:", StringComparison.Ordinal) && r.Contains("choice", StringComparison.Ordinal) && r.Contains("voter", StringComparison.Ordinal) && !r.EndsWith("(secret)", StringComparison.Ordinal));
        Assert.Contains(redactedSeen, r => r.StartsWith("Recused:", StringComparison.Ordinal) && r.Contains("reason", StringComparison.Ordinal) && r.Contains("voter", StringComparison.Ordinal));
        Assert.Contains(redactedSeen, r => r.StartsWith("BallotOpened:", StringComparison.Ordinal) && r.Contains("recused", StringComparison.Ordinal));
        Assert.True(confirmed.Count == 0, $"{confirmed.Count} of {tried} guesses confirmed:\n{string.Join("\n", confirmed.Take(20))}");

        // Sensitivity: had the hashes been made the old way, the same search would confirm the unit's hidden votes.
        var unitView = (await api.GetAsync(People.Liaison, $"/api/instances/{open}/timeline")).Body["events"]!.AsArray();
        var openEvents = stored.Where(e => e.InstanceId == open).ToList();
        var legacy = new List<string>();
        foreach (var e in openEvents)
        {
            legacy.Add(attacks[0].Hash(legacy.Count == 0 ? "" : legacy[^1], open, e.Sequence, e.Type, e.OccurredAt, e.DataJson));
        }

        var recovered = 0;
        for (var i = 0; i < openEvents.Count; i++)
        {
            if (openEvents[i].Type != "VoteCast")
            {
                continue;
            }

            var full = JsonNode.Parse(openEvents[i].DataJson)!.AsObject();
            var hidden = full.Select(p => p.Key).Where(k => !unitView[i]!["data"]!.AsObject().ContainsKey(k)).ToList();
            var matches = Guesses(full, hidden, people).Distinct(StringComparer.Ordinal)
                .Where(g => attacks[0].Hash(i == 0 ? "" : legacy[i - 1], open, openEvents[i].Sequence, "VoteCast", openEvents[i].OccurredAt, g) == legacy[i]).ToList();
            Assert.Equal(openEvents[i].DataJson, Assert.Single(matches));
            recovered++;
        }

        Assert.Equal(3, recovered);
    }

    private static async Task VoteAsync(ApiDriver api, Guid instance, string member, string choice, string? reason)
    {
        var reply = await api.PostAsync(member, ApiDriver.Step(instance, "committee-ballot#2", "vote"), new { choice, reason });
        Assert.True(reply.Status == HttpStatusCode.OK, $"{member}: {reply}");
    }

    /// <summary>
    /// Every event the viewer could believe was stored: the same keys in the same order, each hidden one given each
    /// value of its domain. The viewer knows the code, so the shape is known; only the values are guessed.
    /// </summary>
    private static IEnumerable<string> Guesses(JsonObject full, List<string> hidden, List<string> people)
    {
        var domains = hidden.Select(key => Domain(key, full[key], people).ToList()).ToList();
        foreach (var combination in Product(domains))
        {
            var guess = new JsonObject();
            foreach (var (key, value) in full)
            {
                var at = hidden.IndexOf(key);
                guess[key] = at < 0 ? value?.DeepClone() : combination[at]?.DeepClone();
            }

            yield return guess.ToJsonString(WorkflowHost.Engine.Runtime.EngineJson.Options);
        }
    }

    private static IEnumerable<JsonNode?> Domain(string key, JsonNode? truth, List<string> people) => key switch
    {
        "voter" or "enteredBy" => [null, .. people.Select(p => (JsonNode?)JsonValue.Create(p))],
        "choice" => [null, "consent", "object", "abstain"],
        "recused" => [new JsonArray(), truth?.DeepClone(), .. people.Select(p => (JsonNode?)new JsonArray(JsonValue.Create(p)))],
        _ => [null, truth?.DeepClone()], // free text: nothing, or the very text (the luckiest guesser)
    };

    private static IEnumerable<JsonNode?[]> Product(List<List<JsonNode?>> domains)
    {
        IEnumerable<JsonNode?[]> result = [[]];
        foreach (var domain in domains)
        {
            result = result.SelectMany(prefix => domain.Select(value => (JsonNode?[])[.. prefix, value]));
        }

        return result;
    }

    private static byte[] Text(string previous, Guid id, long sequence, string type, DateTimeOffset at, string data) =>
        Encoding.UTF8.GetBytes(string.Join('\n', previous, id.ToString("D"), sequence.ToString(CultureInfo.InvariantCulture), type,
            at.UtcTicks.ToString(CultureInfo.InvariantCulture), data));

    /// <summary>What someone who read appsettings.Development.json could compute, had the host kept the public key.</summary>
    private static string DevelopmentKeyHash(byte[] text)
    {
        var key = DerivedJournalKey(Convert.FromBase64String("ZGV2ZWxvcG1lbnQtb25seS1zZWFsaW5nLWtleS1iaW5oZS0yMDI2"));
        byte[] message = [.. Encoding.ASCII.GetBytes("wfh-journal-v1\n"), .. text];
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, message));
    }

    private static byte[] DerivedJournalKey(byte[] secret) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: "wfh-journal-chain-v1"u8.ToArray());
}
