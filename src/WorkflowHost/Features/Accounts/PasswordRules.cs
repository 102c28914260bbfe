using System.Reflection;
using Microsoft.AspNetCore.Identity;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// Password rules after OWASP ASVS 5.0 section 6.2: at least 12 characters, any characters, no composition rules (no
/// "a digit and a capital"), and not a common password nor the account's own user name. The common passwords are the
/// list in <c>common-passwords.txt</c> (embedded in the assembly), compared ignoring case.
/// </summary>
internal static class PasswordRules
{
    public const int MinimumLength = 12;

    public static void Apply(PasswordOptions password)
    {
        password.RequiredLength = MinimumLength;
        password.RequiredUniqueChars = 1;
        password.RequireDigit = false;
        password.RequireLowercase = false;
        password.RequireUppercase = false;
        password.RequireNonAlphanumeric = false;
    }
}

/// <summary>Refuses a password on the common-passwords list, or one that contains the account's user name.</summary>
internal sealed class CommonPasswordValidator : IPasswordValidator<Account>
{
    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public static int Count => Common.Value.Count;

    public static bool IsCommon(string password) => Common.Value.Contains(password.Trim());

    public Task<IdentityResult> ValidateAsync(UserManager<Account> manager, Account user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success); // the length rule answers this one
        }

        if (IsCommon(password))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "CommonPassword",
                Description = "This password is on the list of commonly used passwords; choose another (a few unrelated words make a good one).",
            }));
        }

        return Task.FromResult(user.UserName is { Length: >= 4 } name && password.Contains(name, StringComparison.OrdinalIgnoreCase)
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordContainsUserName", Description = "The password must not contain the user name." })
            : IdentityResult.Success);
    }

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("WorkflowHost.Features.Accounts.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-passwords list is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                passwords.Add(line.Trim());
            }
        }

        return passwords;
    }
}
