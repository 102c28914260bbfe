using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.InService;

public enum LogOutcome
{
    Done,
    NotFound,
    NotRegistered,
    Invalid,
    WrongCode,
    NotValidNow,
    TooManyAttempts,

    /// <summary>The member has no entry for the activity, and never had one removed.</summary>
    NotCounted,

    /// <summary>The member's entry for the activity was removed (decision 139) and not recorded again.</summary>
    AlreadyRemoved,
}

/// <summary>How a participation command ended. <see cref="Added"/>: new rows (a repeated check-in or attendance adds none).</summary>
public sealed record LogResult(LogOutcome Outcome, string Message, int Added = 0, CheckInView? CheckIn = null, string? Title = null)
{
    public bool Succeeded => Outcome == LogOutcome.Done;
}

/// <summary>The office's attendance for one activity: who was present, and who of them came as pledged volunteers.</summary>
public sealed record AttendanceInput(IReadOnlyList<string> Present, IReadOnlyList<string> Volunteers);

public sealed partial class ParticipationLog
{
    /// <summary>Wrong codes a member may enter within <see cref="AttemptWindow"/> before further tries are refused.</summary>
    public const int MaxFailedAttempts = 5;

    public static readonly TimeSpan AttemptWindow = TimeSpan.FromMinutes(15);

    /// <summary>The longest a check-in may stay open: an event's day; a code valid for longer is a code worth guessing.</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromHours(12);

    /// <summary>
    /// Counts the members present (and volunteers among them). Idempotent: a member already counted for this activity, by
    /// any means, is left as recorded. Every person must be registered with the community, or nothing is written.
    /// </summary>
    public async Task<LogResult> RecordAttendanceAsync(string actorId, string communityId, Guid instanceId, AttendanceInput input, CancellationToken cancellationToken = default)
    {
        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await ActivityAsync(db, communityId, instanceId, cancellationToken) is not { } activity)
        {
            return new LogResult(LogOutcome.NotFound, $"There is no activity '{instanceId}' to take attendance for.");
        }

        var people = input.Present.Union(input.Volunteers, StringComparer.Ordinal).ToList();
        var registered = await db.Set<InServiceRegistration>().AsNoTracking()
            .Where(r => r.CommunityId == communityId && people.Contains(r.PersonId)).Select(r => r.PersonId).ToListAsync(cancellationToken);
        if (people.Except(registered, StringComparer.Ordinal).FirstOrDefault() is { } stranger)
        {
            return new LogResult(LogOutcome.NotRegistered, $"'{stranger}' is not an in-service member registered with this community.");
        }

        var counted = await db.Set<CommunityParticipation>().AsNoTracking().Where(p => p.InstanceId == instanceId && people.Contains(p.PersonId))
            .Select(p => p.PersonId).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var added = 0;
        foreach (var person in people.Except(counted, StringComparer.Ordinal))
        {
            db.Set<CommunityParticipation>().Add(new CommunityParticipation
            {
                Id = Guid.NewGuid(), CommunityId = communityId, PersonId = person, Date = activity.Date, Title = activity.Title, InstanceId = instanceId,
                RecordedAt = now, Source = ParticipationSource.Office, RecordedBy = actorId,
                Role = input.Volunteers.Contains(person, StringComparer.Ordinal) ? ParticipationRole.Volunteer : ParticipationRole.Participant,
            });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return new LogResult(LogOutcome.Done, "", added, Title: activity.Title);
    }

    /// <summary>
    /// Opens a check-in for an activity from <paramref name="opensAt"/> to <paramref name="closesAt"/> and gives its code: six
    /// random digits no other check-in of the community open in an overlapping window has.
    /// </summary>
    public async Task<LogResult> OpenCheckInAsync(string actorId, string communityId, Guid instanceId, DateTimeOffset opensAt, DateTimeOffset closesAt, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (closesAt <= opensAt || closesAt <= now)
        {
            return new LogResult(LogOutcome.Invalid, "A check-in must close after it opens, and not in the past.");
        }

        if (closesAt - opensAt > LongestWindow)
        {
            return new LogResult(LogOutcome.Invalid, $"A check-in stays open at most {LongestWindow.TotalHours:0} hours.");
        }

        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await ActivityAsync(db, communityId, instanceId, cancellationToken) is not { } activity)
        {
            return new LogResult(LogOutcome.NotFound, $"There is no activity '{instanceId}' to open a check-in for.");
        }

        var taken = await db.Set<ActivityCheckIn>().AsNoTracking()
            .Where(c => c.CommunityId == communityId && c.ClosesAt > opensAt && c.OpensAt < closesAt)
            .Select(c => c.Code).ToListAsync(cancellationToken);
        var code = NewCode(taken);
        var checkIn = new ActivityCheckIn
        {
            Id = Guid.NewGuid(), CommunityId = communityId, InstanceId = instanceId, Title = activity.Title, Date = activity.Date, Code = code,
            OpensAt = opensAt, ClosesAt = closesAt, OpenedBy = actorId, OpenedAt = now,
        };
        db.Set<ActivityCheckIn>().Add(checkIn);
        await db.SaveChangesAsync(cancellationToken);
        return new LogResult(LogOutcome.Done, "", CheckIn: new CheckInView(checkIn.Id, code, opensAt, closesAt), Title: activity.Title);
    }

    /// <summary>
    /// A registered member checks in with a code. A wrong code is counted, and after <see cref="MaxFailedAttempts"/> within
    /// <see cref="AttemptWindow"/> every try is refused until the window moves on. Checking in twice is not an error: the
    /// second answer says the member was already counted, and nothing is added.
    /// </summary>
    public async Task<LogResult> CheckInAsync(string communityId, string personId, string code, CancellationToken cancellationToken = default)
    {
        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var since = now - AttemptWindow;
        if (await db.Set<CheckInFailure>().CountAsync(f => f.PersonId == personId && f.At > since, cancellationToken) >= MaxFailedAttempts)
        {
            return new LogResult(LogOutcome.TooManyAttempts, $"Too many wrong codes; try again in {AttemptWindow.TotalMinutes:0} minutes.");
        }

        if (!await db.Set<InServiceRegistration>().AnyAsync(r => r.PersonId == personId && r.CommunityId == communityId, cancellationToken))
        {
            return new LogResult(LogOutcome.NotRegistered, "Only members registered with this community can check in; register first.");
        }

        var trimmed = code.Trim();
        var matching = await db.Set<ActivityCheckIn>().AsNoTracking().Where(c => c.CommunityId == communityId && c.Code == trimmed && c.InstanceId != null)
            .ToListAsync(cancellationToken);
        var valid = matching.Where(c => c.OpensAt <= now && now < c.ClosesAt).OrderByDescending(c => c.OpensAt).FirstOrDefault();
        if (valid is null)
        {
            if (matching.Count > 0)
            {
                return new LogResult(LogOutcome.NotValidNow, "This code is not open for check-in now: the check-in has closed or not yet opened.");
            }

            db.Set<CheckInFailure>().Add(new CheckInFailure { Id = Guid.NewGuid(), PersonId = personId, At = now });
            await db.SaveChangesAsync(cancellationToken);
            return new LogResult(LogOutcome.WrongCode, "This code is not right; check the code shown at the event.");
        }

        if (await db.Set<CommunityParticipation>().AnyAsync(p => p.InstanceId == valid.InstanceId && p.PersonId == personId, cancellationToken))
        {
            return new LogResult(LogOutcome.Done, "", 0, Title: valid.Title);
        }

        db.Set<CommunityParticipation>().Add(new CommunityParticipation
        {
            Id = Guid.NewGuid(), CommunityId = communityId, PersonId = personId, Date = valid.Date, Title = valid.Title, InstanceId = valid.InstanceId,
            RecordedAt = now, Source = ParticipationSource.CheckIn, RecordedBy = personId,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same member checking in twice at once (two phones, another host): the unique index keeps one.
            return new LogResult(LogOutcome.Done, "", 0, Title: valid.Title);
        }

        return new LogResult(LogOutcome.Done, "", 1, Title: valid.Title);
    }

    private static string NewCode(IReadOnlyCollection<string> taken)
    {
        while (true)
        {
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (!taken.Contains(code))
            {
                return code;
            }
        }
    }
}
