using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>
/// Runs one instance through the runner the way the host would: the state of each accepted step feeds the next,
/// time comes from a <see cref="FakeTimeProvider"/>, and every refusal is checked to change nothing.
/// </summary>
internal sealed class InstanceDriver
{
    /// <summary>Monday 2 March 2026, 09:00 in Shanghai: an ordinary working day.</summary>
    public static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    public static readonly Guid InstanceId = new("5f0c1a2e-7d3b-4c1e-9a6f-000000000001");

    private readonly List<Effect> _history = [];

    /// <summary>What the store keeps of open secret ballots (decision 91): their choices, per ballot, with no voter.</summary>
    private readonly Dictionary<string, List<string>> _sealed = new(StringComparer.Ordinal);
    private InstanceState? _state;

    public InstanceDriver(WorkflowDefinition definition, DateTimeOffset? now = null, IParticipantDirectory? directory = null)
    {
        Definition = definition;
        Clock = new FakeTimeProvider(now ?? MondayMorning);
        Directory = directory ?? SeedCommunity.Directory;
    }

    public WorkflowDefinition Definition { get; }

    public FakeTimeProvider Clock { get; }

    public IParticipantDirectory Directory { get; }

    public InstanceState State => _state ?? throw new InvalidOperationException("Start the instance first.");

    /// <summary>The effects of the last accepted stimulus.</summary>
    public IReadOnlyList<Effect> LastEffects { get; private set; } = [];

    /// <summary>Every effect of every accepted stimulus, in order.</summary>
    public IReadOnlyList<Effect> History => _history;

    public RunContext Context => new(Clock.GetUtcNow(), Directory, SeedCalendar.Calendar,
        new UnsealedChoices(_sealed.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value], StringComparer.Ordinal)), Uploads);

    /// <summary>The uploads the store would find for the next stimulus (none unless a test sets them).</summary>
    public WorkflowHost.Engine.Inputs.IAttachmentCatalog? Uploads { get; set; }

    /// <summary>The choices the store holds sealed for a secret ballot that is still open.</summary>
    public IReadOnlyList<string> SealedChoices(string bookmarkId) => _sealed.GetValueOrDefault(bookmarkId) ?? [];

    public static InstanceDriver Started(WorkflowDefinition definition, string initiator, JsonObject? input = null, DateTimeOffset? now = null, IParticipantDirectory? directory = null)
    {
        var driver = new InstanceDriver(definition, now, directory);
        driver.Accept(driver.TryStart(initiator, input));
        return driver;
    }

    public RunResult TryStart(string initiator, JsonObject? input = null) =>
        WorkflowRunner.Start(Definition, new StartInstance(InstanceId, SeedCommunity.CommunityId, initiator, input ?? []), Context);

    public RunResult TrySend(Stimulus stimulus) => WorkflowRunner.Resume(Definition, State, stimulus, Context);

    /// <summary>Sends a stimulus that must be accepted; returns its effects.</summary>
    public IReadOnlyList<Effect> Send(Stimulus stimulus)
    {
        Accept(TrySend(stimulus));
        return LastEffects;
    }

    /// <summary>Sends a stimulus that must be refused with <paramref name="expected"/>, leaving state and effects untouched.</summary>
    public Refusal Refuse(Stimulus stimulus, RefusalCode expected)
    {
        var before = EngineJsonText.Of(State);
        var result = TrySend(stimulus);
        Assert.False(result.Accepted, $"Expected {expected}, but the {stimulus.Kind} stimulus was accepted.");
        Assert.Equal(expected, result.Refusal!.Code);
        Assert.Empty(result.Effects);
        Assert.Null(result.State);
        Assert.Equal(before, EngineJsonText.Of(State));
        return result.Refusal;
    }

    public Bookmark OpenBookmark(string activityId) => Assert.Single(State.Bookmarks, b => b.ActivityId == activityId);

    public bool IsOpen(string activityId) => State.Bookmarks.Exists(b => b.ActivityId == activityId);

    public IEnumerable<T> EffectsOf<T>() where T : Effect => _history.OfType<T>();

    /// <summary>The data of every journal event of <paramref name="type"/> so far.</summary>
    public IEnumerable<JsonObject> Journal(string type) => _history.OfType<JournalEntry>().Where(j => j.Type == type).Select(j => j.Data);

    private void Accept(RunResult result)
    {
        Assert.True(result.Accepted, $"Refused: {result.Refusal?.Code} {result.Refusal?.Message} "
            + string.Join("; ", result.Refusal?.FieldErrors?.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? []));
        _state = result.State;
        LastEffects = result.Effects;
        _history.AddRange(result.Effects);
        foreach (var effect in result.Effects)
        {
            switch (effect)
            {
                case SecretChoiceCast cast:
                    if (!_sealed.TryGetValue(cast.BookmarkId, out var choices))
                    {
                        _sealed[cast.BookmarkId] = choices = [];
                    }

                    choices.Add(cast.Choice);
                    break;
                case BallotClosed { Secret: true } closed:
                    _sealed.Remove(closed.BookmarkId);
                    break;
            }
        }
    }
}
