namespace WorkflowHost.Features.Accounts;

/// <summary>Events of invitation and reset links and of two-factor sign-in (4050–4059): account ids only, never a token, code or secret.</summary>
internal sealed partial class SecurityEvents
{
    [LoggerMessage(EventId = 4050, EventName = "AccountLinkIssued", Level = LogLevel.Warning,
        Message = "Account {Purpose} link issued: account {AccountId} by account {ByAccountId}, good until {ExpiresAt}")]
    public partial void LinkIssued(string purpose, string accountId, string byAccountId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 4051, EventName = "AccountLinkUsed", Level = LogLevel.Warning,
        Message = "Password set through a one-time link ({Purpose}): account {AccountId}, {EndedSessions} sessions ended")]
    public partial void LinkUsed(string purpose, string accountId, int endedSessions);

    [LoggerMessage(EventId = 4052, EventName = "AccountLinkRefused", Level = LogLevel.Warning,
        Message = "Account {Purpose} link refused: {State}")]
    public partial void LinkRefused(string purpose, LinkState state);

    [LoggerMessage(EventId = 4053, EventName = "TwoFactorEnrolled", Level = LogLevel.Warning,
        Message = "Two-factor sign-in enrolled: account {AccountId}, new recovery codes issued")]
    public partial void TwoFactorEnrolled(string accountId);

    /// <summary><paramref name="reason"/>: <c>wrong-code</c>, <c>replayed-code</c>, <c>wrong-recovery-code</c>.</summary>
    [LoggerMessage(EventId = 4054, EventName = "TwoFactorFailed", Level = LogLevel.Warning,
        Message = "Two-factor code refused: account {AccountId}, reason {Reason}")]
    public partial void TwoFactorFailed(string accountId, string reason);

    [LoggerMessage(EventId = 4055, EventName = "RecoveryCodeUsed", Level = LogLevel.Warning,
        Message = "Two-factor recovery code used: account {AccountId}, {Left} left")]
    public partial void RecoveryCodeUsed(string accountId, int left);
}
