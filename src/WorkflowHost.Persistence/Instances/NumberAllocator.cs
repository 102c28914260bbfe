using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// Takes the next value of a <see cref="Entities.NumberSeries"/> counter, for every number issued (<c>issueNumber</c>,
/// <c>issueDocument</c>): gapless per community, series and year. One statement creates or bumps the counter and returns the new value; it takes the row lock, so two instances
/// never share a number, and a rolled-back step gives its number back.
/// </summary>
internal static class NumberAllocator
{
    /// <summary>The next number of the series, written in <paramref name="format"/> (<see cref="NumberFormat"/>).</summary>
    public static async Task<string> NextAsync(WorkflowDbContext db, string communityId, string series, int year, string format, CancellationToken cancellationToken)
    {
        var values = await db.Database.SqlQuery<long>($"""
            INSERT INTO "NumberSeries" ("CommunityId", "Series", "Year", "LastValue") VALUES ({communityId}, {series}, {year}, 1)
            ON CONFLICT ("CommunityId", "Series", "Year") DO UPDATE SET "LastValue" = "NumberSeries"."LastValue" + 1
            RETURNING "LastValue" AS "Value"
            """).ToListAsync(cancellationToken);
        return NumberFormat.Apply(format, year, values.Single());
    }
}
