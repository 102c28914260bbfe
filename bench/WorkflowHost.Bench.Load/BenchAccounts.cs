using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace WorkflowHost.Bench.Load;

/// <summary>Which environment the host runs in. Production is what the figures are for; Development is kept for comparison.</summary>
public enum HostEnvironment
{
    Production,
    Development,
}

/// <summary>
/// The passwords the driver signs in with. In Development every seeded account takes the documented demo password. In
/// Production the host refuses that password, so the driver gives each account it signs in with a fresh random password
/// the way an operator would: the host's own <c>set-password</c> command, passwords on standard input.
/// </summary>
internal sealed class BenchAccounts
{
    public const string DemoPassword = "Binhe-Demo-2026";

    private readonly IReadOnlyDictionary<string, string> _passwords;

    private BenchAccounts(HostEnvironment environment, IReadOnlyDictionary<string, string> passwords)
    {
        Environment = environment;
        _passwords = passwords;
    }

    public HostEnvironment Environment { get; }

    public static BenchAccounts Demo() => new(HostEnvironment.Development, new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>
    /// The people the scenario signs in as: the liaison, the office and every committee member of the seed community (the
    /// ballot's voters are read from the host at run time, so all members get a password, not a guessed subset).
    /// </summary>
    public static IReadOnlyList<string> PeopleToSignIn(string repositoryRoot)
    {
        var seed = JsonNode.Parse(File.ReadAllText(Path.Combine(repositoryRoot, "seeds", "community.json")))!;
        var members = seed["people"]!.AsArray()
            .Where(p => p!["roles"]!.AsArray().Any(r => r!.GetValue<string>() == "committee-member"))
            .Select(p => p!["id"]!.GetValue<string>());
        return [Consultations.Liaison, Consultations.Office, .. members];
    }

    /// <summary>
    /// Sets a random password for each person through the host's command, all in one start of the host:
    /// <c>set-password --lines</c> with one <c>PERSON-ID&lt;TAB&gt;PASSWORD</c> line per person (a start per person cost
    /// about two seconds each, most of the smoke test's set-up).
    /// </summary>
    public static async Task<BenchAccounts> ProvisionAsync(
        string hostDll, string repositoryRoot, IReadOnlyDictionary<string, string> settings, IReadOnlyList<string> people, TextWriter output)
    {
        var passwords = people.Distinct(StringComparer.Ordinal).ToDictionary(p => p, _ => NewPassword(), StringComparer.Ordinal);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var input = string.Join('\n', passwords.Select(p => $"{p.Key}\t{p.Value}"));
        var result = await HostProcess.RunCommandAsync(hostDll, repositoryRoot, HostEnvironment.Production, settings, ["set-password", "--lines"], input, TimeSpan.FromMinutes(3));
        var missing = passwords.Keys.Where(person => !result.Output.Contains($"Password set for {person}.", StringComparison.Ordinal)).ToList();
        if (result.ExitCode != 0 || missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"set-password --lines exited with {result.ExitCode}, not set for {string.Join(", ", missing)}:{System.Environment.NewLine}{result.Output}");
        }

        output.WriteLine($"Production: passwords set for {passwords.Count} accounts with `set-password` in {watch.Elapsed.TotalSeconds:F1} s");
        return new BenchAccounts(HostEnvironment.Production, passwords);
    }

    public string PasswordFor(string personId) =>
        Environment == HostEnvironment.Development
            ? DemoPassword
            : _passwords.TryGetValue(personId, out var password)
                ? password
                : throw new InvalidOperationException($"No password was set for {personId}; add the person to {nameof(PeopleToSignIn)}.");

    /// <summary>Random, long, and on no common-password list; never the demo password.</summary>
    private static string NewPassword() => "bench-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
