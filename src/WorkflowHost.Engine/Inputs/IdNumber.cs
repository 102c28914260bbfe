namespace WorkflowHost.Engine.Inputs;

/// <summary>
/// Mainland resident identity numbers (GB 11643). Only the masked form is ever stored: the system needs to tell
/// nominees apart on a page, not to hold the number.
/// </summary>
public static class IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    public static bool IsValid(string candidate)
    {
        if (candidate.Length != 18 || !candidate[..17].All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (candidate[i] - '0') * Weights[i];
        }

        return char.ToUpperInvariant(candidate[17]) == CheckCharacters[sum % 11];
    }

    public static bool TryMask(string candidate, out string masked)
    {
        var trimmed = candidate.Trim();
        masked = IsValid(trimmed) ? string.Concat(trimmed.AsSpan(0, 3), new string('*', 11), trimmed[14..].ToUpperInvariant()) : "";
        return masked.Length > 0;
    }
}
