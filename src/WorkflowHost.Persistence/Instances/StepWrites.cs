using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The two guarded updates every vote sends: the voter's row and the instance's versioned state. As LINQ
/// <c>ExecuteUpdate</c> each cost its expression tree, EF Core's parameter extraction and the query cache's comparison of
/// the whole tree on every call (issue 18), and EF Core 10 cannot compile an <c>ExecuteUpdate</c>. So the statement is
/// written once per model from the model's own table and column names, and each value goes through the property's type
/// mapping (SQLite's ticks for times, its text for ids), as EF Core would have sent it. It still runs through EF Core
/// (<c>ExecuteSqlRaw</c>), in the step's transaction, seen by its interceptors. Both return the rows changed, so a lost
/// race still shows as 0.
/// </summary>
internal static class StepWrites
{
    public static Task<int> RecordVoteAsync(
        WorkflowDbContext db, Guid instanceId, string bookmarkId, string voterId, DateTimeOffset? respondedAt, string? choice, string? reason, string? enteredBy,
        CancellationToken cancellationToken) =>
        Statements.For(db).Vote.ExecuteAsync(db, cancellationToken,
            VoterStatus.Voted, respondedAt, choice, reason, enteredBy,
            instanceId, bookmarkId, voterId, VoterStatus.Pending);

    public static Task<int> SaveStateAsync(
        WorkflowDbContext db, Guid instanceId, int expectedVersion, string stateJson, string status, string? result, long journalSequence, string journalHead,
        DateTimeOffset now, DateTimeOffset? endedAt, CancellationToken cancellationToken) =>
        Statements.For(db).State.ExecuteAsync(db, cancellationToken,
            stateJson, status, result, expectedVersion + 1, journalSequence, journalHead, now, endedAt,
            instanceId, expectedVersion);

    private sealed class Statements(IModel model, ISqlGenerationHelper sql)
    {
        private static readonly ConditionalWeakTable<IModel, Statements> PerModel = [];

        public static Statements For(DbContext db) => PerModel.GetValue(db.Model, model => new Statements(model, db.GetService<ISqlGenerationHelper>()));

        public UpdateStatement Vote { get; } = UpdateStatement.Of<BallotVoter>(model, sql,
            set: [nameof(BallotVoter.Status), nameof(BallotVoter.RespondedAt), nameof(BallotVoter.Choice), nameof(BallotVoter.Reason), nameof(BallotVoter.EnteredBy)],
            where: [nameof(BallotVoter.InstanceId), nameof(BallotVoter.BookmarkId), nameof(BallotVoter.PersonId), nameof(BallotVoter.Status)]);

        public UpdateStatement State { get; } = UpdateStatement.Of<WorkflowInstance>(model, sql,
            set:
            [
                nameof(WorkflowInstance.StateJson), nameof(WorkflowInstance.Status), nameof(WorkflowInstance.Result), nameof(WorkflowInstance.Version),
                nameof(WorkflowInstance.JournalSequence), nameof(WorkflowInstance.JournalHead), nameof(WorkflowInstance.UpdatedAt), nameof(WorkflowInstance.EndedAt),
            ],
            where: [nameof(WorkflowInstance.Id), nameof(WorkflowInstance.Version)]);
    }

    /// <summary><c>UPDATE table SET a = @p0, … WHERE x = @pN AND …</c>, with the properties whose mappings convert the values.</summary>
    private sealed class UpdateStatement(string text, IReadOnlyList<IProperty> properties)
    {
        public static UpdateStatement Of<TEntity>(IModel model, ISqlGenerationHelper sql, string[] set, string[] where)
        {
            var entity = model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var properties = set.Concat(where).Select(name => entity.FindProperty(name) ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{name} is not mapped.")).ToList();
            string Column(int index) => sql.DelimitIdentifier(properties[index].GetColumnName(table)!);
            var assignments = Enumerable.Range(0, set.Length).Select(i => $"{Column(i)} = @p{i}");
            var conditions = Enumerable.Range(set.Length, where.Length).Select(i => $"{Column(i)} = @p{i}");
            var text = $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET {string.Join(", ", assignments)} WHERE {string.Join(" AND ", conditions)}";
            return new UpdateStatement(text, properties);
        }

        public Task<int> ExecuteAsync(DbContext db, CancellationToken cancellationToken, params object?[] values)
        {
            // A command only to make parameters of the provider's kind; the parameters go to the command EF Core sends.
            using var factory = db.Database.GetDbConnection().CreateCommand();
            var parameters = new DbParameter[properties.Count];
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i] = properties[i].GetRelationalTypeMapping().CreateParameter(factory, "p" + i, values[i], properties[i].IsNullable);
            }

            return db.Database.ExecuteSqlRawAsync(text, parameters, cancellationToken);
        }
    }
}
