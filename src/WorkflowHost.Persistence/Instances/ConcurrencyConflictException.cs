namespace WorkflowHost.Persistence.Instances;

/// <summary>Another stimulus changed the instance between our read and our write; the whole step is re-run.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException()
    {
    }

    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
