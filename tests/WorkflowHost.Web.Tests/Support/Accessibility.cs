using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace WorkflowHost.Web.Tests.Support;

/// <summary>
/// axe-core run on the page as the browser shows it. Serious and critical violations fail the test with every rule,
/// element and help text, so the message alone says what to fix; minor and moderate ones are left to review.
/// </summary>
/// <remarks>
/// axe runs in the page itself (<c>RunAxeLegacy</c>): the default <c>RunAxe</c> runs it per frame and then opens a
/// second, blank page in the context to merge the frames' results, injecting axe there again, which cost more than the
/// scan on these one-frame pages (docs/decisions/0171). So a page must have no frames: one that gains one fails here,
/// rather than being scanned without its frame. Only the violations are asserted, so only they are returned with their
/// elements; the rules that passed come back without them.
/// </remarks>
public static class Accessibility
{
    private static readonly string[] FailingImpacts = ["serious", "critical"];

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string pageName)
    {
        Assert.True(page.Frames.Count == 1, $"{pageName} ({page.Url}) has {page.Frames.Count - 1} frame(s): scan it with RunAxe, which covers frames.");
        // The document element as the context is the whole page to axe: its page-level rules (title, lang, landmarks) run.
        // Marked obsolete upstream (to be removed in a later version); when it is, inject axe and call axe.run ourselves.
#pragma warning disable CS0618
        var result = await page.Locator("html").RunAxeLegacy(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            ResultTypes = [ResultType.Violations],
        });
#pragma warning restore CS0618
        // The rules ran on this page: some passed (a scan that ran nothing would report no violation either).
        Assert.NotEmpty(result.Passes);
        var failures = result.Violations
            .Where(violation => FailingImpacts.Contains(violation.Impact, StringComparer.Ordinal))
            .Select(violation => $"{violation.Id} ({violation.Impact}): {violation.Help} at " +
                string.Join(", ", violation.Nodes.Select(node => string.Join(" ", node.Target?.ToString() ?? node.Html))))
            .ToList();
        Assert.True(failures.Count == 0, $"axe on {pageName} ({page.Url}):\n" + string.Join("\n", failures));
    }
}
