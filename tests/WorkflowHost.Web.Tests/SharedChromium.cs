using Microsoft.Playwright;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// The test assembly's one Chromium (and its Playwright driver), started by the first scenario that asks and closed
/// after the last: launching a browser per scenario cost seconds each on a loaded machine. Scenarios run in parallel
/// (a collection per class) and each opens browser contexts of its own on it, which keep their cookies and storage
/// apart (<see cref="Browser"/>); Playwright's .NET client takes calls from several threads at once.
/// </summary>
public sealed class SharedChromium : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _chromium;

    /// <summary>The running Chromium; launched on first use, and again if the last one went away (a crash).</summary>
    public async Task<IBrowser> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_chromium is { IsConnected: true } running)
            {
                return running;
            }

            await CloseAsync();
            _playwright = await Playwright.CreateAsync();
            _chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Browser.ChromiumPath,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return _chromium;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _gate.Dispose();
    }

    private async Task CloseAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
            _chromium = null;
        }

        _playwright?.Dispose();
        _playwright = null;
    }
}
