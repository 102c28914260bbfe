using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.InService;

public enum DeskOutcome
{
    Done,
    NotFound,
    NotRegistered,
    Full,
    AlreadyClaimed,
    PastDue,
    NotOpen,
}

public sealed record DeskResult(DeskOutcome Outcome, string Message, Guid? Id = null)
{
    public bool Succeeded => Outcome == DeskOutcome.Done;

    public static DeskResult Ok(Guid id) => new(DeskOutcome.Done, "", id);
}

/// <summary>What the office publishes: a service post or a small wish.</summary>
public sealed record OfferInput(string Kind, string? Category, string Title, string? Description, int Places, DateOnly DueOn);

/// <summary>
/// Service posts and small wishes (岗位认领、微心愿): the office publishes, registered members claim a place, the office
/// confirms each claim with the hours served (or that it was not fulfilled, which gives the place back). Each change is
/// one transaction; a refused one changes nothing. The host checks roles and tenancy first; this class checks what only
/// the database knows: the member's registration, the places left, the dates.
/// </summary>
public sealed class ServiceDesk(IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time, IWorkingCalendar calendar, StepWriteGate writeGate)
{
    public DateOnly Today => calendar.DateOf(time.GetUtcNow());

    public async Task<DeskResult> PublishAsync(string actorId, string communityId, OfferInput input, CancellationToken cancellationToken = default)
    {
        if (input.DueOn < Today)
        {
            return new DeskResult(DeskOutcome.PastDue, "The date to fulfil it by must not be in the past.");
        }

        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var offer = new ServiceOffer
        {
            Id = Guid.NewGuid(), CommunityId = communityId, Kind = input.Kind, Category = input.Kind == ServiceOfferKind.Post ? input.Category : null,
            Title = input.Title.Trim(), Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim(),
            Places = input.Places, DueOn = input.DueOn, PublishedBy = actorId, PublishedAt = time.GetUtcNow(),
        };
        db.Set<ServiceOffer>().Add(offer);
        await db.SaveChangesAsync(cancellationToken);
        return DeskResult.Ok(offer.Id);
    }

    /// <summary>
    /// Claims a place. The place is taken by one conditional update (<c>Claimed &lt; Places</c>): on PostgreSQL the second of
    /// two racing updates waits for the first's row lock and re-checks the condition; on SQLite writers take turns. Either
    /// way exactly one of two claims for the last place wins, and the loser's transaction is rolled back whole.
    /// </summary>
    public async Task<DeskResult> ClaimAsync(string communityId, Guid offerId, string personId, CancellationToken cancellationToken = default)
    {
        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var offer = await db.Set<ServiceOffer>().AsNoTracking().SingleOrDefaultAsync(o => o.Id == offerId && o.CommunityId == communityId, cancellationToken);
        if (offer is null)
        {
            return new DeskResult(DeskOutcome.NotFound, $"There is no service post or wish '{offerId}'.");
        }

        if (!await db.Set<InServiceRegistration>().AnyAsync(r => r.PersonId == personId && r.CommunityId == communityId, cancellationToken))
        {
            return new DeskResult(DeskOutcome.NotRegistered, "Only members registered with this community can claim; register first.");
        }

        if (offer.DueOn < Today)
        {
            return new DeskResult(DeskOutcome.PastDue, "This post's date has passed; it can no longer be claimed.");
        }

        if (await db.Set<ServiceClaim>().AnyAsync(c => c.OfferId == offerId && c.PersonId == personId, cancellationToken))
        {
            return new DeskResult(DeskOutcome.AlreadyClaimed, "You have already claimed this.");
        }

        var taken = await db.Set<ServiceOffer>().Where(o => o.Id == offerId && o.Claimed < o.Places)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Claimed, o => o.Claimed + 1), cancellationToken);
        if (taken == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new DeskResult(DeskOutcome.Full, $"All {offer.Places} places are taken.");
        }

        var claim = new ServiceClaim
        {
            Id = Guid.NewGuid(), CommunityId = communityId, OfferId = offerId, PersonId = personId, Status = ServiceClaimStatus.Claimed,
            ClaimedAt = time.GetUtcNow(), DueOn = offer.DueOn,
        };
        db.Set<ServiceClaim>().Add(claim);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same member claiming twice at once: the unique index refuses the second, and its place goes back.
            await transaction.RollbackAsync(cancellationToken);
            return new DeskResult(DeskOutcome.AlreadyClaimed, "You have already claimed this.");
        }

        await transaction.CommitAsync(cancellationToken);
        return DeskResult.Ok(claim.Id);
    }

    /// <summary>
    /// The office confirms a claim: served (with minutes and the day served) or not fulfilled (the place is given back).
    /// Only the office ends a claim; nothing ends it by itself when its date passes (the sweep only reminds).
    /// </summary>
    public async Task<DeskResult> ConfirmAsync(string actorId, string communityId, Guid claimId, bool served, int? minutes, DateOnly? servedOn, CancellationToken cancellationToken = default)
    {
        if (served && (minutes is not > 0 || servedOn is null))
        {
            return new DeskResult(DeskOutcome.NotOpen, "A served claim needs the hours served and the day.");
        }

        if (served && servedOn > Today)
        {
            return new DeskResult(DeskOutcome.PastDue, "The day served cannot be in the future.");
        }

        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claim = await db.Set<ServiceClaim>().SingleOrDefaultAsync(c => c.Id == claimId && c.CommunityId == communityId, cancellationToken);
        if (claim is null)
        {
            return new DeskResult(DeskOutcome.NotFound, $"There is no claim '{claimId}'.");
        }

        if (claim.Status != ServiceClaimStatus.Claimed)
        {
            return new DeskResult(DeskOutcome.NotOpen, "This claim has already been confirmed.");
        }

        claim.Status = served ? ServiceClaimStatus.Completed : ServiceClaimStatus.NotFulfilled;
        claim.MinutesServed = served ? minutes : null;
        claim.ServedOn = served ? servedOn : null;
        claim.ConfirmedBy = actorId;
        claim.ConfirmedAt = time.GetUtcNow();
        if (!served)
        {
            await db.Set<ServiceOffer>().Where(o => o.Id == claim.OfferId && o.Claimed > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Claimed, o => o.Claimed - 1), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DeskResult.Ok(claim.Id);
    }
}
