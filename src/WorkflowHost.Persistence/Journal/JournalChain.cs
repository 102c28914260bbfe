using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Journal;

/// <summary>
/// The hash chain over an instance's journal. Each hash covers the previous hash and every field of the event,
/// so editing, deleting, inserting or reordering any event breaks the chain from that point on.
/// </summary>
public static class JournalChain
{
    /// <summary>The "previous hash" of an instance's first event.</summary>
    public const string Genesis = "";

    public static string Compute(string previousHash, Guid instanceId, long sequence, string type, DateTimeOffset occurredAt, string dataJson)
    {
        var text = string.Join('\n',
            previousHash,
            instanceId.ToString("D"),
            sequence.ToString(CultureInfo.InvariantCulture),
            type,
            occurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            dataJson);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Checks events in sequence order against each other and against the head stored on the instance.</summary>
    public static JournalVerification Verify(IReadOnlyList<JournalEvent> events, long headSequence, string headHash)
    {
        var previous = Genesis;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var expectedSequence = i + 1;
            if (e.Sequence != expectedSequence)
            {
                return JournalVerification.Broken(i, expectedSequence, $"event {expectedSequence} is missing (found {e.Sequence} in its place)");
            }

            if (e.PreviousHash != previous)
            {
                return JournalVerification.Broken(i, e.Sequence, "its link to the previous event does not match");
            }

            if (Compute(e.PreviousHash, e.InstanceId, e.Sequence, e.Type, e.OccurredAt, e.DataJson) != e.Hash)
            {
                return JournalVerification.Broken(i, e.Sequence, "its content does not match its hash");
            }

            previous = e.Hash;
        }

        if (events.Count != headSequence || previous != headHash)
        {
            return JournalVerification.Broken(events.Count, Math.Min(events.Count, headSequence) + 1,
                $"the instance records {headSequence} events but {events.Count} are stored (events removed from the end?)");
        }

        return new JournalVerification(true, events.Count, null, null);
    }
}

/// <summary>
/// The result of checking one instance's journal: <see cref="EventsChecked"/> events verified before
/// <see cref="FirstBrokenSequence"/>, the first that fails.
/// </summary>
public sealed record JournalVerification(bool Intact, int EventsChecked, long? FirstBrokenSequence, string? Problem)
{
    public static JournalVerification Broken(int checkedCount, long sequence, string problem) => new(false, checkedCount, sequence, problem);
}
