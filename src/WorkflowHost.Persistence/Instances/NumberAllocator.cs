using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// Takes the next value of a <see cref="Entities.NumberSeries"/> counter, for every number issued (<c>issueNumber</c>,
/// <c>issueDocument</c>): gapless per community, series and year. One statement creates or bumps the counter and returns the new value; it takes the row lock, so two instances
/// never share a number, and a rolled-back step gives its number back. The statement is prepared once per model
/// (<see cref="EffectWrites.NextNumberAsync"/>, decision 175), not a raw SQL query composed on every call.
/// </summary>
internal static class NumberAllocator
{
    /// <summary>The next number of the series, written in <paramref name="format"/> (<see cref="NumberFormat"/>).</summary>
    public static async Task<string> NextAsync(WorkflowDbContext db, string communityId, string series, int year, string format, CancellationToken cancellationToken) =>
        NumberFormat.Apply(format, year, await EffectWrites.NextNumberAsync(db, communityId, series, year, cancellationToken));
}
