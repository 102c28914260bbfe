using System.Diagnostics;
using Microsoft.Playwright;

namespace WorkflowHost.Web.Tests.Support;

/// <summary>
/// Waits for what a Hangfire job writes to appear on a server-rendered page. The page does not update itself, so
/// Playwright's own waiting would watch a stale page: it is reloaded instead, a few times a second (the host's job
/// server polls its queue every 500 ms), until the locator matches or the time is up.
/// </summary>
public static class Reloads
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    public static async Task UntilShownAsync(IPage page, string path, ILocator shown, TimeSpan timeout, string waitingFor)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await page.GotoAsync(path);
            if (await shown.CountAsync() > 0)
            {
                return;
            }

            if (waited.Elapsed > timeout)
            {
                Assert.Fail($"{waitingFor}: not on {path} after {waited.Elapsed.TotalSeconds:0.0} s of reloading it; the page shows: {await page.InnerTextAsync("main")}");
            }

            await Task.Delay(Pause);
        }
    }
}
