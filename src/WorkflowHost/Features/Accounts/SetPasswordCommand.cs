namespace WorkflowHost.Features.Accounts;

/// <summary>
/// <c>dotnet run --project src/WorkflowHost -- set-password PERSON-ID</c>: reads the new password from standard input and
/// sets it, then exits. How a real deployment (where the demo password is refused) gives its first accounts a password.
/// <c>set-password --lines</c> sets several in one start (one <c>PERSON-ID&lt;TAB&gt;PASSWORD</c> per line), all or
/// nothing: a host start costs seconds, which the load bench paid once per account.
/// </summary>
internal static class SetPasswordCommand
{
    public const string LinesOption = "--lines";

    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        IReadOnlyList<SetPasswordLine> lines;
        switch (args)
        {
            case ["set-password", LinesOption]:
                lines = await SetPasswordLines.ManyAsync(Console.In);
                break;
            case ["set-password", var personId]:
                lines = [SetPasswordLines.One(personId, Console.In)];
                break;
            default:
                return false;
        }

        var result = await SetPasswords.ApplyAsync(app.Services, lines, CancellationToken.None);
        if (!result.Succeeded)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, result.Problems));
            await Console.Error.WriteLineAsync("No password was changed.");
            Environment.ExitCode = 1;
            return true;
        }

        foreach (var person in result.Set)
        {
            await Console.Out.WriteLineAsync($"Password set for {person}.");
        }

        return true;
    }
}
