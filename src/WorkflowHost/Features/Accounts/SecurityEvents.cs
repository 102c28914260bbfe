namespace WorkflowHost.Features.Accounts;

/// <summary>
/// The security events of sign-in and sessions, one log entry each, in category <see cref="Category"/> (events 4040–4049):
/// who by account id (the Identity user id, a GUID) or <see cref="UnknownAccount"/>, and the session id where there is one.
/// Never a user name, a person id, an e-mail address, a password or a token (decision 56 does the same for refusals).
/// </summary>
internal sealed partial class SecurityEvents(ILoggerFactory loggers)
{
    public const string Category = "WorkflowHost.SecurityEvents";

    /// <summary>A sign-in attempt for a user name that has no account: the name tried is not logged.</summary>
    public const string UnknownAccount = "unknown";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    [LoggerMessage(EventId = 4040, EventName = "SignInSucceeded", Level = LogLevel.Information,
        Message = "Sign-in succeeded: account {AccountId}, {Kind} session {SessionId}")]
    public partial void SignInSucceeded(string accountId, string kind, Guid sessionId);

    /// <summary><paramref name="reason"/>: <c>wrong-password</c>, <c>unknown-account</c>, <c>locked</c>, <c>deactivated</c>, <c>demo-password</c>.</summary>
    [LoggerMessage(EventId = 4041, EventName = "SignInFailed", Level = LogLevel.Warning,
        Message = "Sign-in failed: account {AccountId}, reason {Reason}")]
    public partial void SignInFailed(string accountId, string reason);

    [LoggerMessage(EventId = 4042, EventName = "AccountLockedOut", Level = LogLevel.Warning,
        Message = "Account locked out after repeated failed sign-ins: account {AccountId}, until {LockedUntil}")]
    public partial void LockedOut(string accountId, DateTimeOffset? lockedUntil);

    [LoggerMessage(EventId = 4043, EventName = "PasswordChanged", Level = LogLevel.Information,
        Message = "Password changed: account {AccountId}, {EndedSessions} other sessions ended")]
    public partial void PasswordChanged(string accountId, int endedSessions);

    [LoggerMessage(EventId = 4044, EventName = "SignedOut", Level = LogLevel.Information,
        Message = "Signed out: account {AccountId}, session {SessionId}")]
    public partial void SignedOut(string accountId, Guid sessionId);

    [LoggerMessage(EventId = 4045, EventName = "RefreshTokenReused", Level = LogLevel.Warning,
        Message = "Refresh token used a second time: account {AccountId}, session {SessionId} and its whole token chain ended")]
    public partial void RefreshTokenReused(string accountId, Guid sessionId);

    [LoggerMessage(EventId = 4046, EventName = "AccountDeactivated", Level = LogLevel.Warning,
        Message = "Account deactivated: account {AccountId} by account {ByAccountId}, {EndedSessions} sessions ended")]
    public partial void Deactivated(string accountId, string byAccountId, int endedSessions);

    [LoggerMessage(EventId = 4047, EventName = "AccountReactivated", Level = LogLevel.Warning,
        Message = "Account reactivated: account {AccountId} by account {ByAccountId}")]
    public partial void Reactivated(string accountId, string byAccountId);

    [LoggerMessage(EventId = 4048, EventName = "PasswordSet", Level = LogLevel.Warning,
        Message = "Password set from the command line: account {AccountId}, {EndedSessions} sessions ended")]
    public partial void PasswordSet(string accountId, int endedSessions);
}
