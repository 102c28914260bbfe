using System.Diagnostics;
using System.Globalization;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>
/// Thousands of broken copies of each shipped definition (see <see cref="DefinitionMutator"/>), each either accepted as
/// valid or refused with errors that name the file and a JSON path; never another exception, never a hang. The seed is
/// fixed so a failure names a mutant that can be read again. <c>WORKFLOWHOST_FUZZ_MUTANTS</c> (per file, default
/// <see cref="DefaultMutantsPerFile"/>) and <c>WORKFLOWHOST_FUZZ_SEED</c> run a longer or another series.
/// </summary>
public sealed class DefinitionMutationFuzzTests(ITestOutputHelper output)
{
    private const int DefaultMutantsPerFile = 400;
    private const int DefaultSeed = 20261127;

    /// <summary>A mutant that takes longer than this is a hang; the reader needs milliseconds for a shipped file.</summary>
    private static readonly TimeSpan PerMutantBound = TimeSpan.FromSeconds(15);

    public static TheoryData<string> WorkflowFiles =>
        [.. Directory.EnumerateFiles(RepositoryPaths.Workflows, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public async Task Every_mutant_is_accepted_or_refused_with_a_path(string file)
    {
        var count = Setting("WORKFLOWHOST_FUZZ_MUTANTS", DefaultMutantsPerFile);
        var seed = Setting("WORKFLOWHOST_FUZZ_SEED", DefaultSeed);
        var mutator = new DefinitionMutator(File.ReadAllBytes(Path.Combine(RepositoryPaths.Workflows, file)));
        var tally = new SortedDictionary<string, (int Accepted, int Refused, TimeSpan Time)>(StringComparer.Ordinal);
        var failures = new List<string>();
        var slowest = new List<(TimeSpan Time, string Mutant)>();
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < count && failures.Count < 20; i++)
        {
            var started = clock.Elapsed;
            var mutant = mutator.Next(new Random(seed + i));
            bool accepted;
            string? problem;
            try
            {
                (accepted, problem) = await Task.Run(() => Judge(file, mutant.Bytes), TestContext.Current.CancellationToken)
                    .WaitAsync(PerMutantBound, TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                failures.Add($"mutant {i} (seed {seed + i}, {mutant.Operator}: {mutant.Description}) still running after {PerMutantBound.TotalSeconds} s");
                break;
            }

            if (problem is not null)
            {
                failures.Add($"mutant {i} (seed {seed + i}, {mutant.Operator}: {mutant.Description}): {problem}");
            }

            var (a, r, t) = tally.GetValueOrDefault(mutant.Operator);
            t += clock.Elapsed - started;
            tally[mutant.Operator] = accepted ? (a + 1, r, t) : (a, r + 1, t);
            slowest.Add((clock.Elapsed - started, $"mutant {i} ({mutant.Operator}: {mutant.Description})"));
            if (slowest.Count > 5)
            {
                slowest.Remove(slowest.MinBy(x => x.Time));
            }
        }

        output.WriteLine($"{file}: {count} mutants from seed {seed} in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var (op, (accepted, refused, time)) in tally)
        {
            output.WriteLine($"  {op,-22} accepted {accepted,6}  refused {refused,6}  {time.TotalSeconds,6:0.0} s");
        }

        foreach (var (time, description) in slowest.OrderByDescending(x => x.Time))
        {
            output.WriteLine($"  slow: {time.TotalMilliseconds:0} ms {description}");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(tally.Values.Sum(t => t.Refused) > count / 2, "most mutants break the definition; the mutator is not mutating");
    }

    /// <summary>Accepted (and then its stored form reads back), or refused with every error naming the file and a path; anything else is the problem returned.</summary>
    private static (bool Accepted, string? Problem) Judge(string file, byte[] bytes)
    {
        try
        {
            var definition = DefinitionReader.Read(file, bytes);
            var stored = DefinitionReader.ReadStored(definition.SourceJson);
            return stored.ContentHash == definition.ContentHash
                ? (true, null)
                : (true, "the accepted definition's stored form reads back with another content hash");
        }
        catch (DefinitionException e)
        {
            var unnamed = e.Errors.FirstOrDefault(error =>
                error.File != file || !error.Path.StartsWith('$') || string.IsNullOrWhiteSpace(error.Reason)
                || !e.Message.Contains($"{file}: {error.Path}: ", StringComparison.Ordinal));
            return e.Errors.Count == 0 ? (false, "refused without naming an error")
                : unnamed is not null ? (false, $"an error without file, path or reason: {unnamed}")
                : (false, null);
        }
#pragma warning disable CA1031 // The fuzzer's point: any other exception is the finding, reported with its mutant.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (false, $"{e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}");
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
