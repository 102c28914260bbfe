using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>What <see cref="SetPasswords.ApplyAsync"/> did: the people given a password, or why nothing was changed.</summary>
internal sealed record SetPasswordsResult(IReadOnlyList<string> Set, IReadOnlyList<string> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// Sets the passwords of <c>set-password</c>, all or nothing: every line is checked first (its shape, a known account,
/// one line per person, the password rules), and a single refused line changes no account. The writes then go in one
/// transaction, with the lockouts lifted and the accounts' sessions ended, so a failure halfway leaves nothing set.
/// </summary>
internal static class SetPasswords
{
    private static readonly SetPasswordLineValidator Shape = new();

    public static async Task<SetPasswordsResult> ApplyAsync(IServiceProvider services, IReadOnlyList<SetPasswordLine> lines, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
        if (lines.Count == 0)
        {
            return new SetPasswordsResult([], ["No lines on standard input: write one PERSON-ID<TAB>PASSWORD per line."]);
        }

        var (accounts, problems) = await CheckAsync(users, lines, cancellationToken);
        if (problems.Count > 0)
        {
            return new SetPasswordsResult([], problems);
        }

        // The tokens before the transaction: on a new database the first one creates the data-protection key, which is
        // written through a DbContext of its own and would wait on this transaction's write lock (SQLite) until it timed out.
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            tokens[line.PersonId] = await users.GeneratePasswordResetTokenAsync(accounts[line.PersonId]);
        }

        var ended = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var line in lines)
            {
                var account = accounts[line.PersonId];
                var result = await users.ResetPasswordAsync(account, tokens[line.PersonId], line.Password);
                if (!result.Succeeded)
                {
                    // Checked above, so only a change made meanwhile gets here; the transaction is not committed.
                    return new SetPasswordsResult([], [Describe(line, result)]);
                }

                await users.SetLockoutEndDateAsync(account, null);
                // The new security stamp already ends every session; the rows are ended too, so they say why.
                ended[account.Id] = await AccountSessions.EndAllAsync(db, account.Id, "password-set", now, except: null, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var events = scope.ServiceProvider.GetRequiredService<SecurityEvents>();
        foreach (var (accountId, count) in ended)
        {
            events.PasswordSet(accountId, count);
        }

        return new SetPasswordsResult([.. lines.Select(l => l.PersonId)], []);
    }

    private static async Task<(Dictionary<string, Account> Accounts, List<string> Problems)> CheckAsync(
        UserManager<Account> users, IReadOnlyList<SetPasswordLine> lines, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var ids = lines.Select(l => l.PersonId).Distinct(StringComparer.Ordinal).ToList();
        var accounts = await users.Users.Where(a => ids.Contains(a.PersonId)).ToDictionaryAsync(a => a.PersonId, StringComparer.Ordinal, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var shape = Shape.Validate(line);
            if (!shape.IsValid)
            {
                problems.Add($"Line {line.LineNumber}: {string.Join(" ", shape.Errors.Select(e => e.ErrorMessage))}");
                continue;
            }

            if (!seen.Add(line.PersonId))
            {
                problems.Add($"Line {line.LineNumber}: '{line.PersonId}' is on an earlier line too; give each person one password.");
            }
            else if (!accounts.TryGetValue(line.PersonId, out var account))
            {
                problems.Add($"Line {line.LineNumber}: No account for person '{line.PersonId}'.");
            }
            else
            {
                foreach (var validator in users.PasswordValidators)
                {
                    var result = await validator.ValidateAsync(users, account, line.Password);
                    if (!result.Succeeded)
                    {
                        problems.Add(Describe(line, result));
                    }
                }
            }
        }

        return (accounts, problems);
    }

    private static string Describe(SetPasswordLine line, IdentityResult result) =>
        $"Line {line.LineNumber} ({line.PersonId}): {string.Join(" ", result.Errors.Select(e => e.Description))}";
}
