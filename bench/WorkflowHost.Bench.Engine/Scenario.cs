namespace WorkflowHost.Bench.Engine;

/// <summary>
/// The benchmark scenario, the same for both engines: a promotion consultation in the founding committee —
/// submit, the office accepts, 14 members with 1 recused, 13 votes, outcome, reply number. Votes alternate
/// consent/object so the ballot cannot close early: every one of the 13 votes is counted and the 13th decides.
/// </summary>
internal static class Scenario
{
    public const int Votes = 13;

    public static readonly string[] Members =
    [
        "p-member-chen", "p-member-feng", "p-member-he", "p-member-li", "p-member-lin", "p-member-sun", "p-member-wu",
        "p-member-xu", "p-member-zhang", "p-member-zhao", "p-member-zheng", "p-member-zhou", "p-secretary-wang",
    ];

    public static string ChoiceOf(int index) => index % 2 == 0 ? "consent" : "object";

    public static int ExpectedConsents => Enumerable.Range(0, Votes).Count(i => ChoiceOf(i) == "consent");
}
