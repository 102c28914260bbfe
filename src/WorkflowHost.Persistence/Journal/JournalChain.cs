using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Sealing;

namespace WorkflowHost.Persistence.Journal;

/// <summary>
/// The hash chain over an instance's journal. Each hash covers the previous hash and every field of the event,
/// so editing, deleting, inserting or reordering any event breaks the chain from that point on.
/// The hash is keyed (HMAC-SHA256 under the journal key of <see cref="StoreKeys"/>, decision 90): a viewer shown an
/// event with fields left out (a unit seeing an open ballot's <c>VoteCast</c> without voter or choice) cannot test a
/// guess at what was left out against the published hash, as they could against a plain SHA-256.
/// </summary>
public static class JournalChain
{
    /// <summary>The "previous hash" of an instance's first event.</summary>
    public const string Genesis = "";

    /// <summary>Plain SHA-256, as written before decision 90; read only (verification and re-keying).</summary>
    public const int LegacyScheme = 0;

    /// <summary>HMAC-SHA256 under the journal key, with a purpose line; every event written now.</summary>
    public const int KeyedScheme = 1;

    private static ReadOnlySpan<byte> Purpose => "wfh-journal-v1\n"u8;

    public static string Compute(StoreKeys keys, string previousHash, Guid instanceId, long sequence, string type, DateTimeOffset occurredAt, string dataJson) =>
        Compute(keys, KeyedScheme, previousHash, instanceId, sequence, type, occurredAt, dataJson);

    public static string Compute(StoreKeys keys, int scheme, string previousHash, Guid instanceId, long sequence, string type, DateTimeOffset occurredAt, string dataJson)
    {
        if (scheme is not (KeyedScheme or LegacyScheme))
        {
            throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown journal hash scheme.");
        }

        // The hashed text is the purpose line (keyed scheme only), then the fields joined by '\n', as UTF-8. Written into
        // one rented buffer: every vote hashes its events, and the joined string, its UTF-8 copy and the purpose prepended
        // to it were three copies of the event's data per event (issue 18, docs/benchmarks.md section 21a).
        var most = Purpose.Length + Encoding.UTF8.GetMaxByteCount(previousHash.Length) + GuidText + LongText + Encoding.UTF8.GetMaxByteCount(type.Length)
            + LongText + Encoding.UTF8.GetMaxByteCount(dataJson.Length) + 5;
        var rented = ArrayPool<byte>.Shared.Rent(most);
        try
        {
            var text = rented.AsSpan();
            var length = 0;
            if (scheme == KeyedScheme)
            {
                Purpose.CopyTo(text);
                length = Purpose.Length;
            }

            var start = length;
            length += Encoding.UTF8.GetBytes(previousHash, text[length..]);
            text[length++] = (byte)'\n';
            length += Formatted(instanceId.TryFormat(text[length..], out var written, "D"), written);
            text[length++] = (byte)'\n';
            length += Formatted(sequence.TryFormat(text[length..], out written, default, CultureInfo.InvariantCulture), written);
            text[length++] = (byte)'\n';
            length += Encoding.UTF8.GetBytes(type, text[length..]);
            text[length++] = (byte)'\n';
            length += Formatted(occurredAt.UtcTicks.TryFormat(text[length..], out written, default, CultureInfo.InvariantCulture), written);
            text[length++] = (byte)'\n';
            length += Encoding.UTF8.GetBytes(dataJson, text[length..]);

            Span<byte> hash = stackalloc byte[32];
            if (scheme == KeyedScheme)
            {
                HMACSHA256.HashData(keys.JournalKey, text[..length], hash);
            }
            else
            {
                SHA256.HashData(text[start..length], hash);
            }

            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private const int GuidText = 36;

    private const int LongText = 20;

    private static int Formatted(bool fitted, int written) =>
        fitted ? written : throw new InvalidOperationException("The journal hash's buffer was sized too small.");

    /// <summary>
    /// Checks events in sequence order against each other and against the head stored on the instance. An event in the
    /// legacy scheme fails unless <paramref name="allowLegacy"/> (only the re-keying at start, <see cref="JournalRekey"/>):
    /// anyone can recompute a plain SHA-256, so accepting one would let a writer rewrite the tail of a journal unnoticed.
    /// </summary>
    public static JournalVerification Verify(StoreKeys keys, IReadOnlyList<JournalEvent> events, long headSequence, string headHash, bool allowLegacy = false)
    {
        // A chain that is broken anyway is reported where it breaks (the evidence), not at its first unkeyed event.
        var chain = VerifyChain(keys, events, headSequence, headHash);
        if (!chain.Intact || allowLegacy)
        {
            return chain;
        }

        var legacy = events.Select((e, i) => (e, i)).FirstOrDefault(p => p.e.HashScheme == LegacyScheme);
        return legacy.e is null ? chain
            : JournalVerification.Broken(legacy.i, legacy.e.Sequence, "its hash is unkeyed (written before decision 90 and not re-keyed), which anyone can recompute");
    }

    private static JournalVerification VerifyChain(StoreKeys keys, IReadOnlyList<JournalEvent> events, long headSequence, string headHash)
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

            if (e.HashScheme is not (KeyedScheme or LegacyScheme))
            {
                return JournalVerification.Broken(i, e.Sequence, $"its hash scheme {e.HashScheme} is unknown");
            }


            var expected = Compute(keys, e.HashScheme, e.PreviousHash, e.InstanceId, e.Sequence, e.Type, e.OccurredAt, e.DataJson);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(e.Hash)))
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
