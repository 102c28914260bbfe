using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>Compares effects by their <see cref="EngineJsonText"/> form, so records holding lists and dictionaries compare by content.</summary>
internal sealed class EffectComparer : IEqualityComparer<Effect>
{
    public static readonly EffectComparer Instance = new();

    public bool Equals(Effect? x, Effect? y) =>
        x is not null && y is not null && EngineJsonText.Of([x]) == EngineJsonText.Of([y]);

    public int GetHashCode(Effect obj) => EngineJsonText.Of([obj]).GetHashCode(StringComparison.Ordinal);
}
