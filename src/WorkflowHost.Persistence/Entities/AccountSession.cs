namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// One sign-in of an account: a cookie session of the web pages, or a bearer session (an access token and the chain of
/// refresh tokens that renews it). Every authenticated request is checked against its row, so ending the row ends the
/// session on every host at once. See docs/decisions/0075.
/// </summary>
public sealed class AccountSession
{
    public const string CookieKind = "cookie";
    public const string BearerKind = "bearer";

    public required Guid Id { get; init; }

    public required string AccountId { get; init; }

    /// <summary><see cref="CookieKind"/> or <see cref="BearerKind"/>.</summary>
    public required string Kind { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The absolute end: a sliding cookie or a refresh-token chain never lives past it.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The account's security stamp this session is valid for; when the account's stamp changes, the session ends.</summary>
    public required string SecurityStamp { get; set; }

    /// <summary>The one refresh token of the chain that may still be used (bearer sessions); any earlier one is a reuse.</summary>
    public Guid? RefreshTokenId { get; set; }

    public int Refreshes { get; set; }

    public DateTimeOffset? LastRefreshedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why it ended: <c>logout</c>, <c>password-changed</c>, <c>refresh-token-reused</c>, <c>deactivated</c>, …</summary>
    public string? EndReason { get; set; }
}
