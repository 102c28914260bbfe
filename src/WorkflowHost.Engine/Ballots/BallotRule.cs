namespace WorkflowHost.Engine.Ballots;

/// <summary>
/// How a ballot is decided. The default is the committee's: more than half of the eligible members must take part,
/// and the "consent" votes must be more than half of the ELIGIBLE members (not of those who voted).
/// </summary>
public sealed record BallotRule
{
    public static readonly BallotRule Default = new();

    public Threshold Quorum { get; init; } = new() { MoreThan = Fraction.Half };

    public PassCondition Pass { get; init; } = new() { MoreThan = Fraction.Half };
}

/// <summary>
/// A share that must be exceeded (<c>moreThan</c>) or reached (<c>atLeast</c>); at most one is set, and with neither
/// the share is "more than 1/2".
/// </summary>
public record Threshold
{
    public Fraction? MoreThan { get; init; }

    public Fraction? AtLeast { get; init; }

    public bool IsMetBy(int count, int total) =>
        AtLeast is { } atLeast ? atLeast.IsReachedBy(count, total) : (MoreThan ?? Fraction.Half).IsExceededBy(count, total);

    public sealed override string ToString() => AtLeast is { } a ? $"at least {a}" : $"more than {MoreThan ?? Fraction.Half}";
}

public sealed record PassCondition : Threshold
{
    /// <summary>The option that counts as yes.</summary>
    public string Option { get; init; } = "consent";

    /// <summary>What the share is taken of.</summary>
    public PassBase Of { get; init; } = PassBase.Eligible;
}

public enum PassBase
{
    /// <summary>All voters not recused: a non-vote counts against.</summary>
    Eligible,

    /// <summary>Those who took part (voted, including abstentions).</summary>
    Participants,
}
