using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// Applies the effects of the processes' activities inside the step's transaction: comments, facility reservations (with
/// the global overlap check), lookups, documents and register rows. Like numbers, lookups and documents write their result
/// back into the instance state before it is saved.
/// </summary>
internal sealed class ProcessEffectApplier(
    WorkflowDbContext db, WorkflowInstance row, InstanceState state, DateTimeOffset now, ProcessStore store, Action<string, JsonObject> journal,
    Action<IssuedDocument, IssuedNumber>? issued = null)
{
    private readonly List<FacilityReservation> _added = [];

    private StoreStepContext Step => new(db, row, state, now, store.Calendar) { Journal = journal };

    public async Task<bool> TryApplyAsync(Effect effect, CancellationToken cancellationToken)
    {
        switch (effect)
        {
            case CommentRecorded comment:
                db.Set<InstanceComment>().Add(new InstanceComment
                {
                    InstanceId = row.Id, CommentId = comment.CommentId, CommunityId = row.CommunityId, ActorId = comment.ActorId,
                    BookmarkId = comment.BookmarkId, Text = comment.Text, FilesJson = comment.Files?.ToJsonString(), CreatedAt = now,
                });
                return true;
            case ReservationRequested reservation:
                await ReserveAsync(reservation, cancellationToken);
                return true;
            case ReservationReleased released:
                await ReleaseAsync(r => r.ActivityId == released.ActivityId && r.ItemIndex == released.Index, cancellationToken);
                return true;
            case AllReservationsReleased:
                await ReleaseAsync(_ => true, cancellationToken);
                return true;
            case LookupRequested lookup:
                await LookupAsync(lookup, cancellationToken);
                return true;
            case DocumentRequested document:
                await IssueDocumentAsync(document, cancellationToken);
                return true;
            case RecordsRequested records:
                var written = await store.Register(records.Register).WriteAsync(Step, records.ActivityId, records.Values, records.Rows, cancellationToken);
                journal(JournalEventTypes.RecordsWritten, new JsonObject { ["activity"] = records.ActivityId, ["register"] = records.Register, ["rows"] = written });
                return true;
            default:
                return false;
        }
    }

    /// <summary>True when <see cref="FinishAsync"/> has work even for a step that applied none of the processes' effects.</summary>
    public static bool HasToFinish(InstanceState state) => state.Status == InstanceStatus.Withdrawn;

    /// <summary>After the step's effects: a withdrawn instance gives back every facility it had reserved.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (HasToFinish(state))
        {
            await ReleaseAsync(_ => true, cancellationToken);
        }
    }

    private async Task ReserveAsync(ReservationRequested request, CancellationToken cancellationToken)
    {
        var facility = await db.Set<Facility>().AsNoTracking()
            .Where(f => f.Id == request.Resource && f.CommunityId == row.CommunityId)
            .Select(f => new { f.Id, f.OwnerUnitId, f.NameZh })
            .FirstOrDefaultAsync(cancellationToken);
        if (facility is null)
        {
            throw Refused(request, $"'{request.Resource}' is not a shared facility of this community.");
        }

        if (facility.OwnerUnitId != request.UnitId)
        {
            throw Refused(request, $"'{request.Resource}' ({facility.NameZh}) belongs to another unit; a unit pledges its own facilities.");
        }

        // Take the facility's row lock (PostgreSQL holds it to the end of the transaction; SQLite runs one writer at a time),
        // so two steps reserving the same facility check and insert one after the other, never both on the same picture.
        await db.Set<Facility>().Where(f => f.Id == request.Resource)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.LockVersion, f => f.LockVersion + 1), cancellationToken);

        var clash = _added.Any(r => r.FacilityId == request.Resource && r.StartsAt < request.EndsAt && r.EndsAt > request.StartsAt)
            || await db.Set<FacilityReservation>().AnyAsync(
                r => r.FacilityId == request.Resource && r.Status == ReservationStatus.Active && r.StartsAt < request.EndsAt && r.EndsAt > request.StartsAt,
                cancellationToken);
        if (clash)
        {
            var zone = store.Calendar.TimeZone;
            var from = TimeZoneInfo.ConvertTime(request.StartsAt, zone);
            var to = TimeZoneInfo.ConvertTime(request.EndsAt, zone);
            throw Refused(request, string.Create(CultureInfo.InvariantCulture,
                $"'{request.Resource}' ({facility.NameZh}) is already reserved for part of {from:yyyy-MM-dd HH:mm}–{to:HH:mm}."));
        }

        var reservation = new FacilityReservation
        {
            Id = Guid.NewGuid(), CommunityId = row.CommunityId, FacilityId = request.Resource, InstanceId = row.Id,
            ActivityId = request.ActivityId, ItemIndex = request.Index, UnitId = request.UnitId,
            StartsAt = request.StartsAt, EndsAt = request.EndsAt, Status = ReservationStatus.Active, CreatedAt = now,
        };
        _added.Add(reservation);
        db.Set<FacilityReservation>().Add(reservation);
        journal(JournalEventTypes.FacilityReserved, new JsonObject
        {
            ["activity"] = request.ActivityId, ["index"] = request.Index, ["facility"] = request.Resource,
            ["startsAt"] = request.StartsAt, ["endsAt"] = request.EndsAt,
        });
    }

    private StepRefusedException Refused(ReservationRequested request, string message) =>
        new(row.Id, new Refusal(RefusalCode.InvalidInput, message,
            new Dictionary<string, string[]> { [request.ResourceField] = [message] }));

    private async Task ReleaseAsync(Func<FacilityReservation, bool> which, CancellationToken cancellationToken)
    {
        foreach (var added in _added.Where(r => r.Status == ReservationStatus.Active && which(r)))
        {
            (added.Status, added.ReleasedAt) = (ReservationStatus.Released, now);
        }

        var active = await db.Set<FacilityReservation>().AsNoTracking()
            .Where(r => r.InstanceId == row.Id && r.Status == ReservationStatus.Active)
            .ToListAsync(cancellationToken);
        var released = active.Where(which).Select(r => r.Id).ToList();
        if (released.Count == 0)
        {
            return;
        }

        await db.Set<FacilityReservation>()
            .Where(r => released.Contains(r.Id) && r.Status == ReservationStatus.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReservationStatus.Released).SetProperty(r => r.ReleasedAt, now), cancellationToken);
        journal(JournalEventTypes.FacilitiesReleased, new JsonObject { ["reservations"] = released.Count });
    }

    private async Task LookupAsync(LookupRequested request, CancellationToken cancellationToken)
    {
        var result = await store.Provider(request.Provider).ResolveAsync(Step, request.Parameters, cancellationToken);
        result["provider"] = request.Provider;
        result["resolvedAt"] = now;
        state.Variables[request.ActivityId] = result;
        journal(JournalEventTypes.DataAttached, new JsonObject { ["activity"] = request.ActivityId, ["provider"] = request.Provider, ["data"] = result.DeepClone() });
    }

    private async Task IssueDocumentAsync(DocumentRequested request, CancellationToken cancellationToken)
    {
        var number = await DocumentIssuer.IssueAsync(db, row, now, store.Calendar,
            new DocumentIssuer.Issue(request.Document, request.Series, request.Year, request.Format, request.ActivityId, request.Content,
                Attachments.DecidedOn.Files(state) is { Count: > 0 } files ? files : null),
            journal, cancellationToken, issued);
        state.Variables[request.ActivityId] = new JsonObject
        {
            ["number"] = number,
            ["series"] = request.Series,
            ["document"] = request.Document,
            ["issuedAt"] = now,
        };
    }
}
