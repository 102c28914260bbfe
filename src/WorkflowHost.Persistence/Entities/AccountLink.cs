namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// A one-time link an administrator issued for an account: an invitation (set a first password) or a reset (set a new
/// one). Only the SHA-256 of the link's token is kept (docs/decisions/0105), so whoever reads the database cannot use a
/// link. A link is good once, until <see cref="ExpiresAt"/>, and only while it is the newest of its account: issuing
/// another one supersedes it.
/// </summary>
public sealed class AccountLink
{
    public const string InvitationPurpose = "invitation";
    public const string ResetPurpose = "reset";

    public required Guid Id { get; init; }

    public required string AccountId { get; init; }

    /// <summary><see cref="InvitationPurpose"/> or <see cref="ResetPurpose"/>.</summary>
    public required string Purpose { get; init; }

    /// <summary>Lower-case hex of SHA-256 over the token's bytes; the token itself is never stored.</summary>
    public required string TokenHash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The administrator's account id.</summary>
    public required string CreatedByAccountId { get; init; }

    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>Set when a newer link was issued for the same account.</summary>
    public DateTimeOffset? SupersededAt { get; set; }
}

/// <summary>One of an account's ten two-factor recovery codes, stored as a hash; each is good for one sign-in.</summary>
public sealed class AccountRecoveryCode
{
    public required Guid Id { get; init; }

    public required string AccountId { get; init; }

    /// <summary>Lower-case hex of SHA-256 over the account id and the normalised code.</summary>
    public required string CodeHash { get; init; }

    public DateTimeOffset? UsedAt { get; set; }
}
