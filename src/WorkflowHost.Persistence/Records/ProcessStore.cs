using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Records;

/// <summary>What a lookup provider or a register is told about the step it runs in.</summary>
public sealed record StoreStepContext(WorkflowDbContext Db, WorkflowInstance Instance, InstanceState State, DateTimeOffset Now, IWorkingCalendar Calendar)
{
    /// <summary>Appends an event to the instance's journal in this step (a register that issues documents journals each).</summary>
    public Action<string, JsonObject> Journal { get; init; } = (_, _) => { };
}

/// <summary>
/// Data a <c>lookup</c> activity attaches to an instance (the nominee's community record, earlier consultations), resolved in
/// the step's transaction. Register one per <see cref="Name"/> (the definition's <c>provider</c>).
/// </summary>
public interface ILookupProvider
{
    string Name { get; }

    Task<JsonObject> ResolveAsync(StoreStepContext context, JsonObject parameters, CancellationToken cancellationToken);
}

/// <summary>A register a <c>record</c> activity writes rows into (community participation, co-building record).</summary>
public interface IRecordRegister
{
    string Name { get; }

    /// <returns>How many rows were written.</returns>
    Task<int> WriteAsync(StoreStepContext context, string activityId, JsonObject values, JsonArray rows, CancellationToken cancellationToken);
}

/// <summary>The providers and registers the store knows, by name; an unknown name is a configuration error that stops the step.</summary>
public sealed class ProcessStore(IEnumerable<ILookupProvider> providers, IEnumerable<IRecordRegister> registers, IWorkingCalendar calendar)
{
    private readonly Dictionary<string, ILookupProvider> _providers = providers.ToDictionary(p => p.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, IRecordRegister> _registers = registers.ToDictionary(r => r.Name, StringComparer.Ordinal);

    public IWorkingCalendar Calendar => calendar;

    public IReadOnlyCollection<string> ProviderNames => _providers.Keys;

    public IReadOnlyCollection<string> RegisterNames => _registers.Keys;

    public ILookupProvider Provider(string name) =>
        _providers.GetValueOrDefault(name) ?? throw new InvalidOperationException($"No lookup provider '{name}' is registered; known: {string.Join(", ", _providers.Keys)}.");

    public IRecordRegister Register(string name) =>
        _registers.GetValueOrDefault(name) ?? throw new InvalidOperationException($"No register '{name}' is registered; known: {string.Join(", ", _registers.Keys)}.");
}

/// <summary>The store refuses an accepted step (a facility already reserved): the transaction is rolled back and the refusal returned.</summary>
public sealed class StepRefusedException(Guid instanceId, Refusal refusal) : Exception(refusal.Message)
{
    public Guid InstanceId { get; } = instanceId;

    public Refusal Refusal { get; } = refusal;
}
