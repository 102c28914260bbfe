using FluentValidation;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>The scheduler (Hangfire) inside the host. Bound from <c>Scheduling</c> in appsettings.json.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>The queue our jobs run on; the in-process server listens to it only.</summary>
    public const string Queue = "workflow";

    /// <summary>Run a Hangfire server in this process (false: only schedule, e.g. a host that serves the web only).</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>
    /// How often delayed jobs that fell due are moved to the queue. Hangfire's default (15 s) makes every reminder up to
    /// 15 s late. With 100,000 pending timers on SQLite the lateness p99 was 1.27 s at 1 s and 0.61 s at 0.5 s, for about
    /// 6 % more idle CPU; PostgreSQL's p99 stayed just over 1 s either way (docs/benchmarks.md, section 9, session 8).
    /// </summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often an idle worker looks for queued jobs (PostgreSQL also wakes on LISTEN/NOTIFY); SQLite's tail waits on it.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public int WorkerCount { get; set; } = 4;

    /// <summary>
    /// A timer gets its Hangfire delayed job once it is due within this horizon: right after its step commits, or from
    /// the minute sweep as it comes near. Hangfire's storage then holds minutes of jobs, not months (its SQLite storage
    /// stops firing anything with 100,000 scheduled jobs: docs/benchmarks.md). Must exceed the sweep's period.
    /// </summary>
    public TimeSpan JobHorizon { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long before its due time a timer's delayed job is scheduled. Hangfire moves a job to the queue up to one
    /// schedule poll late, and on PostgreSQL a worker that takes a job the instant it is queued often finds the job's state
    /// lock still held by the scheduler and retries after a fixed second: with no lead, one timer in ten fired about 1.1 s
    /// late (docs/benchmarks.md, section 11b). The early job hands its timer to an in-memory wait and frees its worker
    /// (<see cref="DueTimerWaits"/>, docs/decisions/0149); zero restores the old behaviour.
    /// </summary>
    public TimeSpan JobLead { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The recurring sweep that fires every due timer that has not fired (host down, job lost, clock jumped).</summary>
    public string SweepCron { get; set; } = "* * * * *";

    /// <summary>The recurring sweep leaves timers this recent to their own delayed job; the start-up sweep takes every due timer.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many due timers one sweep query takes; the sweep repeats until none are left.</summary>
    public int SweepBatchSize { get; set; } = 500;

    /// <summary>The Hangfire SQLite file, in the persistence data folder (SQLite provider only).</summary>
    public string SqliteFileName { get; set; } = "hangfire.db";

    /// <summary>The schema of Hangfire's tables in the application's PostgreSQL database.</summary>
    public string PostgreSqlSchema { get; set; } = "hangfire";

    /// <summary>A name for this process among several sharing one database (shown in the dashboard).</summary>
    public string? ServerName { get; set; }
}

public sealed class SchedulingOptionsValidator : AbstractValidator<SchedulingOptions>
{
    public SchedulingOptionsValidator()
    {
        RuleFor(o => o.SchedulePollingInterval).InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        RuleFor(o => o.QueuePollInterval).InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        RuleFor(o => o.WorkerCount).InclusiveBetween(1, 100);
        RuleFor(o => o.SweepCron).NotEmpty().Must(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is 5 or 6)
            .WithMessage("a cron expression of 5 (or 6, with seconds) fields, such as \"* * * * *\"");
        RuleFor(o => o.JobHorizon).InclusiveBetween(TimeSpan.FromMinutes(2), TimeSpan.FromDays(1))
            .WithMessage("between 2 minutes (more than the sweep's minute) and 1 day");
        RuleFor(o => o.JobLead).InclusiveBetween(TimeSpan.Zero, TimeSpan.FromSeconds(30))
            .WithMessage("between 0 and 30 seconds (well under the job horizon and the sweep's grace)");
        RuleFor(o => o.SweepGrace).InclusiveBetween(TimeSpan.Zero, TimeSpan.FromHours(1));
        RuleFor(o => o.SweepBatchSize).InclusiveBetween(1, 10_000);
        RuleFor(o => o.SqliteFileName).NotEmpty().Must(n => n.IndexOfAny(Path.GetInvalidFileNameChars()) < 0).WithMessage("must be a plain file name");
        RuleFor(o => o.PostgreSqlSchema).NotEmpty().Matches("^[a-z_][a-z0-9_]*$");
    }
}
