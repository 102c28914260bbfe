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
}
