namespace WorkflowHost.Engine.Ballots;

/// <summary>
/// How a ballot is decided. The default is the committee's: more than half of the eligible members must take part,
/// and the "consent" votes must be more than half of the ELIGIBLE members (not of those who voted).
/// </summary>
public sealed record BallotRule
{
    public static readonly BallotRule Default = new();

    public Threshold Quorum { get; init; } = new() { MoreThan = Fraction.Half };

    public PassCondition Pass { get; init; } = new();
}

/// <summary>A share that must be exceeded (<c>moreThan</c>) or reached (<c>atLeast</c>); exactly one is set.</summary>
public record Threshold
{
    public Fraction? MoreThan { get; init; }

    public Fraction? AtLeast { get; init; }

    public bool IsMetBy(int count, int total) =>
        MoreThan is { } strict ? strict.IsExceededBy(count, total) : AtLeast!.Value.IsReachedBy(count, total);

    public override string ToString() => MoreThan is { } m ? $"more than {m}" : $"at least {AtLeast}";
}

public sealed record PassCondition : Threshold
{
    public PassCondition() => MoreThan = Fraction.Half;

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
