using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>
/// The real host as a child process (<c>dotnet WorkflowHost.dll</c>, Development environment for the demo accounts),
/// configured through environment variables as an operator would. <see cref="Kill"/> is SIGKILL: no shutdown code
/// runs, open transactions and half-written pages are left as a power cut leaves them.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly Dictionary<string, string> _settings;
    private readonly string _log;
    private readonly Lock _logLock = new();
    private Process? _process;

    public HostProcess(string name, IReadOnlyDictionary<string, string> settings, string logFolder)
    {
        Name = name;
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _log = Path.Combine(logFolder, $"{name}.log");
        _settings = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = BaseAddress.ToString().TrimEnd('/'),
            ["Scheduling__ServerName"] = name,

            // The driver signs every person in once and hammers the API from one address.
            ["Accounts__SignInAttemptsPerMinute"] = "10000",
            ["Accounts__PublicRequestsPerMinute"] = "10000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public bool Running => _process is { HasExited: false };

    public string LogPath => _log;

    /// <summary>Starts the process and waits until <c>/health</c> answers; returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Running)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        var start = new ProcessStartInfo("dotnet", $"\"{HostBuild.HostDll}\"")
        {
            WorkingDirectory = RepositoryPaths.Root, // content root: appsettings.json and seeds/ of the repository
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }

        var watch = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Append($"===== {DateTimeOffset.UtcNow:O} start (pid {process.Id})");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        while (watch.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} while starting; log:\n{LogTail()}");
            }

            if (await IsHealthyAsync(BaseAddress, cancellationToken))
            {
                return watch.Elapsed;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"{Name} was not healthy after {timeout.TotalSeconds:F0} s; log:\n{LogTail()}");
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            Append($"===== {DateTimeOffset.UtcNow:O} SIGKILL (pid {process.Id})");
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false); // on Linux: kill(pid, SIGKILL)
            }

            process.WaitForExit();
            process.Dispose();
            _process = null;
        }
    }

    public static async Task<bool> IsHealthyAsync(Uri baseAddress, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri(baseAddress, "/health"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public string LogTail(int lines = 40)
    {
        lock (_logLock)
        {
            return File.Exists(_log) ? string.Join('\n', File.ReadLines(_log).TakeLast(lines)) : "(no log)";
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            File.AppendAllText(_log, line + "\n");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
