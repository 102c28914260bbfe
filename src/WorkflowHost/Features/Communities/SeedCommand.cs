using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowHost.Configuration;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Seeding;

namespace WorkflowHost.Features.Communities;

/// <summary>
/// <c>dotnet run --project src/WorkflowHost -- seed</c>: tops up the database (running or not) with every community,
/// unit, person and founding term of <c>seeds/</c> that it lacks, gives the new people accounts, then exits. Running it
/// again changes nothing (<see cref="SeedTopUp"/>).
/// </summary>
internal static class SeedCommand
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        if (args is not ["seed"])
        {
            return false;
        }

        var seeds = Path.GetFullPath(app.Services.GetRequiredService<IOptions<WorkflowHostOptions>>().Value.SeedsFolder, app.Environment.ContentRootPath);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            var summary = await SeedTopUp.RunAsync(db, seeds, app.Logger);
            await Console.Out.WriteLineAsync($"Added {summary.Communities} communities, {summary.Units} units, {summary.People} people, {summary.Terms} committee terms.");
        }

        await Accounts.DemoAccounts.EnsureAsync(app.Services);
        return true;
    }
}
