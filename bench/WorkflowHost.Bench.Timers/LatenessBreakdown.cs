using System.Globalization;
using Npgsql;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Bench.Timers;

/// <summary>
/// Where each probe's lateness went, from Hangfire's own state history on PostgreSQL: due → moved to the queue by the
/// delayed-job scheduler (Enqueued) → taken by a worker (Processing) → our timer row fired. A p99 alone cannot say
/// which of these stages makes the tail (docs/benchmarks.md, section 11b).
/// </summary>
internal static class LatenessBreakdown
{
    private sealed record Probe(int Index, double DueFraction, double Queued, double Taken, double Fired, double Step);

    public static async Task PrintAsync(string connectionString, string schema, IReadOnlyList<WorkflowTimer> fired, string csvPath)
    {
        var byJob = fired.Where(t => t.JobId is not null).ToDictionary(t => long.Parse(t.JobId!, CultureInfo.InvariantCulture));
        var states = new Dictionary<(long, string), DateTime>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT jobid, name, createdat FROM \"{schema}\".state WHERE jobid = ANY(@ids) AND name IN ('Enqueued', 'Processing')", connection);
            command.Parameters.AddWithValue("ids", byJob.Keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                // Hangfire stores UTC without a zone; a job moved twice keeps its first time, the one that counted.
                states.TryAdd((reader.GetInt64(0), reader.GetString(1)), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
            }
        }

        var ordered = fired.OrderBy(t => t.DueAt).ToList();
        var probes = new List<Probe>();
        foreach (var (job, timer) in byJob)
        {
            if (!states.TryGetValue((job, "Enqueued"), out var enqueued) || !states.TryGetValue((job, "Processing"), out var processing))
            {
                continue;
            }

            var due = timer.DueAt.UtcDateTime;
            var firedAt = timer.FiredAt!.Value.UtcDateTime;
            probes.Add(new Probe(ordered.IndexOf(timer), due.TimeOfDay.TotalSeconds % 1, Ms(enqueued - due), Ms(processing - enqueued),
                Ms(firedAt - due), Ms(firedAt - (processing > due ? processing : due))));
        }

        Console.WriteLine($"  breakdown of {probes.Count} probes (ms; queued = moved to the queue − due, taken = worker start − queued, step = fired − max(worker start, due)):");
        Console.WriteLine($"    queued: {Quantiles(probes.Select(p => p.Queued))}");
        Console.WriteLine($"    taken:  {Quantiles(probes.Select(p => p.Taken))}");
        Console.WriteLine($"    step:   {Quantiles(probes.Select(p => p.Step))}");
        Console.WriteLine("    the 8 latest: index, due fraction of its second, queued, taken, step, lateness");
        foreach (var p in probes.OrderByDescending(p => p.Fired).Take(8))
        {
            Console.WriteLine($"      #{p.Index,3}  {p.DueFraction:F2}  {p.Queued,6:F0} {p.Taken,6:F0} {p.Step,6:F0} {p.Fired,6:F0}");
        }

        await File.WriteAllLinesAsync(csvPath, ["index,due_fraction,queued_ms,taken_ms,step_ms,lateness_ms",
            .. probes.OrderBy(p => p.Index).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Index},{p.DueFraction:F3},{p.Queued:F1},{p.Taken:F1},{p.Step:F1},{p.Fired:F1}"))]);
        Console.WriteLine($"    per probe: {csvPath}");
    }

    private static double Ms(TimeSpan span) => span.TotalMilliseconds;

    private static string Quantiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return "no values";
        }

        double Q(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return $"p50 {Q(0.5):F0}, p90 {Q(0.9):F0}, p99 {Q(0.99):F0}, max {sorted[^1]:F0}, min {sorted[0]:F0}";
    }
}
