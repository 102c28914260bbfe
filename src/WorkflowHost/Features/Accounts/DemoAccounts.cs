using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// Every person of the directory gets an account, user name = person id (e.g. <c>p-liaison-gao</c>), with the
/// documented demo password. The demo password is accepted only in the Development environment: anywhere else
/// sign-in with it is refused and it cannot be set, so a real deployment must give each account its own password
/// (<c>dotnet run --project src/WorkflowHost -- set-password PERSON-ID</c>).
/// </summary>
public static class DemoAccounts
{
    /// <summary>Documented in README.md and docs/api.md. Development only.</summary>
    public const string Password = "Binhe-Demo-2026";

    /// <summary>Creates the missing accounts in one statement batch; the demo password is hashed once, not once per person.</summary>
    public static async Task EnsureAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var missing = await db.People.AsNoTracking()
            .Where(p => !db.Accounts.Any(a => a.PersonId == p.Id))
            .Select(p => new { p.Id, p.Email })
            .ToListAsync(cancellationToken);
        if (missing.Count == 0)
        {
            return;
        }

        var hash = users.PasswordHasher.HashPassword(null!, Password);
        foreach (var person in missing)
        {
            db.Accounts.Add(new Account
            {
                PersonId = person.Id,
                UserName = person.Id,
                NormalizedUserName = users.NormalizeName(person.Id),
                Email = person.Email,
                NormalizedEmail = person.Email is null ? null : users.NormalizeEmail(person.Email),
                EmailConfirmed = person.Email is not null,
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = true,
            });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two hosts started together on one database: if the other one created them, all is well.
            db.ChangeTracker.Clear();
            if (await db.People.AnyAsync(p => !db.Accounts.Any(a => a.PersonId == p.Id), cancellationToken))
            {
                throw;
            }
        }
    }
}

/// <summary>Refuses the demo password as a new password outside Development.</summary>
internal sealed class DemoPasswordValidator(IHostEnvironment environment) : IPasswordValidator<Account>
{
    public Task<IdentityResult> ValidateAsync(UserManager<Account> manager, Account user, string? password) =>
        Task.FromResult(password == DemoAccounts.Password && !environment.IsDevelopment()
            ? IdentityResult.Failed(new IdentityError { Code = "DemoPassword", Description = "The demo password is only accepted in the Development environment." })
            : IdentityResult.Success);
}
