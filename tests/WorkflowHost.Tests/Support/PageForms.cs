using System.Net;
using System.Text.RegularExpressions;

namespace WorkflowHost.Tests.Support;

/// <summary>What a browser reads from a server-rendered form before posting it back.</summary>
public static partial class PageForms
{
    /// <summary>The antiforgery token of the page's (first) form, or null when the page has no form.</summary>
    public static string? AntiforgeryToken(string html)
    {
        var match = AntiforgeryField().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
