using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace WorkflowHost.Web.Tests.Support;

/// <summary>
/// axe-core run on the page as the browser shows it. Serious and critical violations fail the test with every rule,
/// element and help text, so the message alone says what to fix; minor and moderate ones are left to review.
/// </summary>
public static class Accessibility
{
    private static readonly string[] FailingImpacts = ["serious", "critical"];

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string pageName)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        var failures = result.Violations
            .Where(violation => FailingImpacts.Contains(violation.Impact, StringComparer.Ordinal))
            .Select(violation => $"{violation.Id} ({violation.Impact}): {violation.Help} at " +
                string.Join(", ", violation.Nodes.Select(node => string.Join(" ", node.Target?.ToString() ?? node.Html))))
            .ToList();
        Assert.True(failures.Count == 0, $"axe on {pageName} ({page.Url}):\n" + string.Join("\n", failures));
    }
}
