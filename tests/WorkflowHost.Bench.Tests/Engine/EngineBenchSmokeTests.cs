using System.Diagnostics;

namespace WorkflowHost.Bench.Tests.Engine;

/// <summary>Keeps bench/WorkflowHost.Bench.Engine working: its <c>--smoke</c> mode runs both engines once and checks their counts.</summary>
public class EngineBenchSmokeTests
{
    [Fact]
    public async Task The_engine_bench_smoke_mode_counts_every_consent_in_both_engines()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(BuiltPrograms.EngineBenchDll);
        start.ArgumentList.Add("--smoke");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("smoke: ok", text, StringComparison.Ordinal);
    }
}
