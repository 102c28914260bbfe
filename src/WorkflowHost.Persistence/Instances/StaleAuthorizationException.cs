namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// A step for a caller authorized by a reused session check found the authorization epoch changed since that check: a
/// session, an account, a person or a role changed somewhere. Thrown before anything is written, so the step leaves
/// nothing (its transaction or savepoint is rolled back; a self-committing step has sent nothing yet). The request checks
/// the session in full and runs the step again, or is refused (decision 173).
/// </summary>
public sealed class StaleAuthorizationException : Exception
{
    public StaleAuthorizationException()
        : base("The authorization epoch changed since the session check this step relied on.")
    {
    }

    public StaleAuthorizationException(Guid instanceId)
        : base($"The authorization epoch changed since the session check a step on instance {instanceId} relied on.")
    {
    }

    public StaleAuthorizationException(string message)
        : base(message)
    {
    }

    public StaleAuthorizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
