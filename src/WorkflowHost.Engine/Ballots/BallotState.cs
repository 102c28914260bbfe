namespace WorkflowHost.Engine.Ballots;

/// <summary>
/// A ballot's running record, held in the instance state. On a secret ballot <see cref="OpenVotes"/> stays empty:
/// only who took part and the totals are kept, and reasons are kept sorted so their order links to nobody.
/// </summary>
public sealed class BallotState
{
    public required List<string> Voters { get; init; }

    public List<RecusalRecord> Recusals { get; init; } = [];

    public required List<string> Options { get; init; }

    public bool Secret { get; init; }

    public DateTimeOffset? ClosesAt { get; set; }

    /// <summary>Everyone who has voted, kept in id order (not voting order).</summary>
    public List<string> Participants { get; init; } = [];

    public Dictionary<string, int> Totals { get; init; } = [];

    /// <summary>Open ballots only: each voter's choice.</summary>
    public Dictionary<string, VoteRecord> OpenVotes { get; init; } = [];

    /// <summary>Secret ballots only: reasons given, sorted, with no voter attached.</summary>
    public List<string> AnonymousReasons { get; init; } = [];

    /// <summary>Who was present at the physical meeting, as recorded by the secretary (sorted); empty when no meeting was recorded.</summary>
    public List<string> Attendance { get; init; } = [];

    /// <summary>Who recorded the meeting's attendance and votes, and their attestation (e.g. "2026年12月3日党委会，现场举手表决").</summary>
    public string? MeetingRecordedBy { get; set; }

    public string? MeetingAttestation { get; set; }

    /// <summary>
    /// The voters not recused, in <see cref="Voters"/>' order, read as enumerated. Written as loops: every vote enumerates
    /// them, and a predicate per voter was two objects per voter per vote (docs/benchmarks.md section 21a).
    /// </summary>
    public IEnumerable<string> Eligible
    {
        get
        {
            foreach (var voter in Voters)
            {
                if (!IsRecused(voter))
                {
                    yield return voter;
                }
            }
        }
    }

    public int EligibleCount => Voters.Count - Recusals.Count;

    public bool IsRecused(string voterId)
    {
        foreach (var recusal in Recusals)
        {
            if (recusal.VoterId == voterId)
            {
                return true;
            }
        }

        return false;
    }

    public int TotalFor(string option) => Totals.GetValueOrDefault(option);
}

public sealed record RecusalRecord(string VoterId, string Reason, bool Automatic);

public sealed record VoteRecord(string Choice, string? Reason = null, string? EnteredBy = null);
