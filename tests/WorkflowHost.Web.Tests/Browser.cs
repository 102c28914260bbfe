using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// One scenario's browser: contexts of its own (each page its own cookies and storage) on the assembly's one Chromium
/// (<see cref="SharedChromium"/>), from the Debian package, driven by Playwright (which cannot download its own browser
/// here). Disposing it closes its contexts, not Chromium. Without Chromium the tests are skipped with the reason,
/// unless WORKFLOWHOST_REQUIRE_BROWSER=1 (CI), where a missing browser fails them.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private readonly ConcurrentQueue<IBrowserContext> _contexts = new();

    private readonly IBrowser _chromium;

    private Browser(IBrowser chromium) => _chromium = chromium;

    /// <summary>What Chromium refused under the pages' Content-Security-Policy (it says so on the console), on this scenario's pages.</summary>
    public ConcurrentQueue<string> PolicyViolations { get; } = new();

    /// <summary>A browser for the calling scenario, on the Chromium its test assembly shares.</summary>
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

        var shared = await TestContext.Current.GetFixture<SharedChromium>()
            ?? throw new InvalidOperationException("No SharedChromium: the assembly fixture is declared in AssemblyInfo.cs.");
        Directory.CreateDirectory(ScreenshotFolder);
        return new Browser(await shared.GetAsync());
    }

    /// <summary>A fresh browser context (own cookies) at desktop or phone width.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, bool phone = false)
    {
        var context = await _chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
            Locale = "zh-CN",
        });
        _contexts.Enqueue(context);
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

    /// <summary>Closes this scenario's contexts (and their pages); Chromium stays for the other scenarios.</summary>
    public async ValueTask DisposeAsync()
    {
        while (_contexts.TryDequeue(out var context))
        {
            await context.DisposeAsync();
        }
    }
}
