using FluentValidation;

namespace WorkflowHost.Features.Accounts;

/// <summary>One account and its new password, and the line of standard input it came from (so a refusal can name it).</summary>
internal sealed record SetPasswordLine(int LineNumber, string PersonId, string Password);

/// <summary>
/// Reads what <c>set-password</c> is given on standard input. One person on the command line: the first line is the
/// password. <c>--lines</c>: every non-empty line is <c>PERSON-ID&lt;TAB&gt;PASSWORD</c> (a tab, because a password may
/// hold spaces and a person id holds none), so one start of the host sets many passwords.
/// </summary>
internal static class SetPasswordLines
{
    public const char Separator = '\t';

    public static SetPasswordLine One(string personId, TextReader input) => new(1, personId, input.ReadLine() ?? "");

    /// <summary>Every non-empty line; a line without the tab keeps its text as the person id and an empty password, which the validator refuses.</summary>
    public static async Task<IReadOnlyList<SetPasswordLine>> ManyAsync(TextReader input)
    {
        var lines = new List<SetPasswordLine>();
        var number = 0;
        while (await input.ReadLineAsync() is { } text)
        {
            number++;
            if (text.Length == 0)
            {
                continue;
            }

            var tab = text.IndexOf(Separator, StringComparison.Ordinal);
            lines.Add(tab < 0 ? new SetPasswordLine(number, text, "") : new SetPasswordLine(number, text[..tab], text[(tab + 1)..]));
        }

        return lines;
    }
}

/// <summary>The shape of a line; whether the account exists and the password passes the password rules is checked against the database.</summary>
internal sealed class SetPasswordLineValidator : AbstractValidator<SetPasswordLine>
{
    public SetPasswordLineValidator()
    {
        RuleFor(l => l.PersonId).NotEmpty().Must(id => !id.Any(char.IsWhiteSpace))
            .WithMessage("The person id must not contain spaces (separate it from the password with one tab).");
        RuleFor(l => l.Password).NotEmpty()
            .WithMessage("No password (write PERSON-ID, one tab, then the password).");
    }
}
