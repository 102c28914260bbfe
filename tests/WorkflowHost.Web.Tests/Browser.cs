using Microsoft.Playwright;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// Chromium from the Debian package, driven by Playwright (which cannot download its own browser here). Without it the
/// tests are skipped with the reason, unless WORKFLOWHOST_REQUIRE_BROWSER=1 (CI), where a missing browser fails them.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private readonly IPlaywright playwright;

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        this.playwright = playwright;
        Chromium = chromium;
    }

    public IBrowser Chromium { get; }

    /// <summary>What Chromium refused under the pages' Content-Security-Policy (it says so on the console), on any page.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> PolicyViolations { get; } = new();

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            var reason = $"No browser: {ChromiumPath} is missing (apt-get install chromium fonts-noto-cjk).";
            if (Environment.GetEnvironmentVariable("WORKFLOWHOST_REQUIRE_BROWSER") == "1")
            {
                Assert.Fail(reason + " WORKFLOWHOST_REQUIRE_BROWSER=1 requires it.");
            }

            Assert.Skip(reason);
        }

        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
        return new Browser(playwright, chromium);
    }

    /// <summary>A fresh browser context (own cookies) at desktop or phone width.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, bool phone = false)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
            Locale = "zh-CN",
        });
        // CI runs the test projects side by side on two cores: a page can take longer than Playwright's 30 s default to
        // settle. A longer bound keeps the scenario honest (it still fails on a page that never loads) without flaking.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                PolicyViolations.Enqueue($"{page.Url}: {message.Text}");
            }
        };
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        playwright.Dispose();
    }
}
