using Microsoft.AspNetCore.Identity;

namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// A sign-in account (ASP.NET Core Identity) linked to exactly one <see cref="Person"/>. Who the account may act as —
/// roles, unit, community — is the person's, read from the directory on every request, never copied into the account.
/// </summary>
public sealed class Account : IdentityUser
{
    public required string PersonId { get; set; }

    /// <summary>Set by an administrator: the account cannot sign in, and every session and token of it has ended.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    /// <summary>
    /// The TOTP secret once enrolment is confirmed, sealed under the sealing key (<see cref="Sealing.TwoFactorSeal"/>,
    /// docs/decisions/0105); with it <c>TwoFactorEnabled</c> is set.
    /// </summary>
    public byte[]? TwoFactorSecret { get; set; }

    /// <summary>A secret shown for enrolment and not yet confirmed with a code, sealed the same way.</summary>
    public byte[]? PendingTwoFactorSecret { get; set; }

    /// <summary>The TOTP time step of the last code accepted: a code of this step or an earlier one is a replay.</summary>
    public long? TwoFactorLastTimeStep { get; set; }
}
