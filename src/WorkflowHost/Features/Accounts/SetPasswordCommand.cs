using Microsoft.AspNetCore.Identity;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// <c>dotnet run --project src/WorkflowHost -- set-password PERSON-ID</c>: reads the new password from standard input and
/// sets it, then exits. How a real deployment (where the demo password is refused) gives its first accounts a password.
/// </summary>
internal static class SetPasswordCommand
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        if (args is not ["set-password", var personId])
        {
            return false;
        }

        await DemoAccounts.EnsureAsync(app.Services);
        var password = Console.In.ReadLine() ?? "";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = users.Users.FirstOrDefault(a => a.PersonId == personId);
        if (account is null)
        {
            await Console.Error.WriteLineAsync($"No account for person '{personId}'.");
            Environment.ExitCode = 1;
            return true;
        }

        var token = await users.GeneratePasswordResetTokenAsync(account);
        var result = await users.ResetPasswordAsync(account, token, password);
        if (result.Succeeded)
        {
            await users.SetLockoutEndDateAsync(account, null);
            // The new security stamp already ends every session; the rows are ended too, so they say why.
            var ended = await scope.ServiceProvider.GetRequiredService<AccountSessions>().EndAllAsync(account.Id, "password-set", except: null, CancellationToken.None);
            scope.ServiceProvider.GetRequiredService<SecurityEvents>().PasswordSet(account.Id, ended);
            await Console.Out.WriteLineAsync($"Password set for {personId}.");
        }
        else
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, result.Errors.Select(e => e.Description)));
            Environment.ExitCode = 1;
        }

        return true;
    }
}
