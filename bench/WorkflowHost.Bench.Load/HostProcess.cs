using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WorkflowHost.Bench.Load;

/// <summary>
/// The real host, started as a child process on a free port with its settings in environment variables: the environment
/// (Production, or Development for comparison), the given database, and a workflows folder that adds the bench's
/// secret-ballot variant.
/// Its output is drained and the last lines kept, to be shown if it fails.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    public const string HostEnvironmentPrefix = "WORKFLOWHOST_BENCH_HOST_";

    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly ThreadCpu _jitThread;
    private readonly Queue<string> _lastLines = new();
    private StreamWriter? _outputFile;

    private HostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        _jitThread = new ThreadCpu(process.Id, TieredCompilerThread);
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the host has used so far (user and system): the difference over a round is its cost per vote.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// CPU time the runtime's tiered compiler thread has used so far, read from <c>/proc</c> (Linux only; zero
    /// elsewhere). A host that still compiles hot methods is not yet in its steady state, so a round's share of it says
    /// whether the round measured the host or its warm-up.
    /// </summary>
    public TimeSpan JitCpuTime => _jitThread.Read();

    /// <summary>
    /// The host's resident memory now and at its peak, in MB, from <c>/proc</c> (Linux only; null elsewhere): a runtime
    /// setting that trades memory for fewer collections must be seen against issue 18's 300 MB.
    /// </summary>
    public (double Now, double Peak)? ResidentMegabytes
    {
        get
        {
            var status = $"/proc/{_process.Id}/status";
            if (!File.Exists(status))
            {
                return null;
            }

            var lines = File.ReadAllLines(status);
            double Field(string name) => double.Parse(
                lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
                System.Globalization.CultureInfo.InvariantCulture) / 1024;
            return (Field("VmRSS:"), Field("VmHWM:"));
        }
    }

    /// <summary>Both readings at once, for a round's difference.</summary>
    public CpuReading Cpu => new(CpuTime, JitCpuTime);

    /// <summary>The name Linux gives the runtime's tiered compilation thread (truncated to 15 characters).</summary>
    private const string TieredCompilerThread = ".NET Tiered Com";

    public string LastLines
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join(Environment.NewLine, _lastLines);
            }
        }
    }

    public static async Task<HostProcess> StartAsync(
        string hostDll, string repositoryRoot, HostEnvironment environment, IReadOnlyDictionary<string, string> settings, TimeSpan timeout, string? outputFile = null)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = StartInfo(hostDll, repositoryRoot, environment, settings, []);
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        start.Environment["Urls"] = baseAddress.ToString();

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {hostDll}.");
        var host = new HostProcess(process, baseAddress) { _outputFile = outputFile is null ? null : new StreamWriter(outputFile, append: true) { AutoFlush = true } };
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilHealthyAsync(timeout);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public sealed record CommandResult(int ExitCode, string Output);

    /// <summary>Runs one of the host's commands (e.g. <c>set-password PERSON-ID</c>) with the same settings, <paramref name="input"/> on standard input.</summary>
    public static async Task<CommandResult> RunCommandAsync(
        string hostDll, string repositoryRoot, HostEnvironment environment, IReadOnlyDictionary<string, string> settings, IReadOnlyList<string> arguments, string input, TimeSpan timeout)
    {
        var start = StartInfo(hostDll, repositoryRoot, environment, settings, arguments);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {hostDll}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteLineAsync(input);
        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {hostDll} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:F0} s.");
        }

        return new CommandResult(process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_lastLines)
        {
            _outputFile?.Dispose();
            _outputFile = null;
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{LastLines}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The host did not answer /health within {timeout.TotalSeconds:F0} s:{Environment.NewLine}{LastLines}");
    }

    private static ProcessStartInfo StartInfo(
        string hostDll, string repositoryRoot, HostEnvironment environment, IReadOnlyDictionary<string, string> settings, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root: appsettings.json and seeds/ are read from the repository root, as `dotnet run` does.
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(hostDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment.ToString();
        start.Environment["DOTNET_ENVIRONMENT"] = environment.ToString();
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        // For profiling: WORKFLOWHOST_BENCH_HOST_X=v in the driver's environment becomes X=v in the host's only
        // (e.g. WORKFLOWHOST_BENCH_HOST_DOTNET_gcServer=0), so runtime switches do not apply to the driver too.
        foreach (var entry in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
        {
            if (entry.Key is string name && name.StartsWith(HostEnvironmentPrefix, StringComparison.Ordinal) && name.Length > HostEnvironmentPrefix.Length)
            {
                start.Environment.Remove(name);
                start.Environment[name[HostEnvironmentPrefix.Length..]] = entry.Value as string;
            }
        }

        return start;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _outputFile?.WriteLine(line);
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
