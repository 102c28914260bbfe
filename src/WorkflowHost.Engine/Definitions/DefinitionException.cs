namespace WorkflowHost.Engine.Definitions;

/// <summary>One thing wrong with a definition file: where (file and JSON path) and why.</summary>
public sealed record DefinitionError(string File, string Path, string Reason)
{
    public override string ToString() => $"{File}: {Path}: {Reason}";
}

/// <summary>A definition file that cannot be used. The message lists every error found, one per line.</summary>
public sealed class DefinitionException : Exception
{
    public DefinitionException(IReadOnlyList<DefinitionError> errors)
        : base("Invalid workflow definition:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    public DefinitionException()
        : this([])
    {
    }

    public DefinitionException(string message)
        : base(message)
    {
        Errors = [];
    }

    public DefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<DefinitionError> Errors { get; } = [];
}
