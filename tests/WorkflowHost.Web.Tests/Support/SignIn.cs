using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WorkflowHost.Web.Tests.Support;

/// <summary>Signs a person in through /account/login with the demo password, as a person would, and waits for the inbox.</summary>
public static partial class SignIn
{
    public const string Password = "Binhe-Demo-2026";

    public static async Task AsAsync(IPage page, string person)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#userName", person);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        try
        {
            await page.WaitForURLAsync(Inbox());
        }
        catch (TimeoutException e)
        {
            // Say where the browser was left and what it showed: a refused sign-in, an error page, a slow redirect.
            var text = await page.InnerTextAsync("body", new() { Timeout = 5_000 });
            throw new TimeoutException($"{person} was not taken to /inbox; the page is {page.Url}: {text[..Math.Min(text.Length, 600)]}", e);
        }
    }

    /// <summary>Today in the community's time zone (the calendar's, Shanghai), as a date field takes it.</summary>
    public static string Today(int addDays = 0) =>
        TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).AddDays(addDays).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("/inbox$")]
    private static partial Regex Inbox();
}
