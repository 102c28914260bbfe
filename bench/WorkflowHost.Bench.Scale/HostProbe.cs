using System.Diagnostics;
using System.Net.Sockets;
using WorkflowHost.Persistence;

namespace WorkflowHost.Bench.Scale;

/// <summary>Starts the real host on the generated database and measures time to a healthy answer and resident memory.</summary>
internal static class HostProbe
{
    public sealed record Result(double StartupSeconds, double ResidentMegabytes, double PeakResidentMegabytes);

    public static async Task<Result> MeasureAsync(string hostDll, string repositoryRoot, PersistenceOptions persistence, string contentRoot)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", $"\"{hostDll}\"")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Persistence__Provider"] = persistence.Provider.ToString();
        start.Environment["Persistence__DataFolder"] = Path.GetFullPath(persistence.DataFolder, contentRoot);
        start.Environment["Persistence__PostgreSqlConnectionString"] = persistence.PostgreSqlConnectionString ?? "";

        // Production refuses to start without a key for reply verification codes; any fresh key will do here.
        start.Environment["Replies__VerificationKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        // The sealing key must be the one the dataset was written with (ScaleRun.SealingKey), or the host refuses the database.
        start.Environment["Sealing__Key"] = ScaleRun.SealingKey;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Keep(string? line)
        {
            if (line is not null)
            {
                output.Enqueue(line);
                while (output.Count > 40 && output.TryDequeue(out _))
                {
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var healthy = false;
            while (!healthy)
            {
                if (process.HasExited || watch.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new InvalidOperationException($"The host did not become healthy; its last output:\n{string.Join('\n', output)}");
                }

                try
                {
                    healthy = (await http.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                if (!healthy)
                {
                    await Task.Delay(50);
                }
            }

            var startup = watch.Elapsed.TotalSeconds;
            // Some ordinary traffic before reading the memory (on a loaded machine a page can take longer than the probe's 2 s):
            // what a visitor who is not signed in opens, the landing page and the sign-in page. Neither reads the database
            // since decision 150 (the landing page used to count every instance), so the memory read is the host's own.
            using var pages = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            for (var i = 0; i < 50; i++)
            {
                using var page = await pages.GetAsync($"http://127.0.0.1:{port}{(i % 2 == 0 ? "/" : "/account/login")}");
                page.EnsureSuccessStatusCode();
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            process.Refresh();
            return new Result(startup, Megabytes(process.Id, "VmRSS:"), Megabytes(process.Id, "VmHWM:"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static double Megabytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
