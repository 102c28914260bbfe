using Microsoft.EntityFrameworkCore;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>
/// The database as a stopped host sees it: unreachable. Given to the departures of a directory change, it stands for a
/// host that stopped right after the change committed, before the ballots heard of it (decision 112).
/// </summary>
public sealed class StoppedDatabase : IDbContextFactory<WorkflowDbContext>
{
    public const string Message = "The host stopped.";

    public WorkflowDbContext CreateDbContext() => throw new InvalidOperationException(Message);
}
