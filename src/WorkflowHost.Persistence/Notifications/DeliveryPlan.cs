using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Queries;

namespace WorkflowHost.Persistence.Notifications;

/// <summary>
/// Which outbox rows a notification gets, decided in the transaction that writes it: one delivery per channel (and, a
/// notification having one recipient, per recipient). A person's own choice of channels applies, or e-mail when they
/// never chose; a person who asked for the daily digest gets no single messages outside the app. Announcements (a
/// ballot opened, a decision made) go to the community's enabled group robots, one delivery per robot.
/// </summary>
public static class DeliveryPlan
{
    // The plan's reads are compiled (decision 175): announcements are looked for on every step that opens or closes a
    // ballot, the deciding vote among them, and a LINQ query built per call cost an expression tree, EF Core's parameter
    // extraction and a query-cache lookup each time (issue 18).
    private static readonly CompiledPerModel<Func<WorkflowDbContext, string, CancellationToken, Task<NotificationPreference?>>> PreferenceOf = new(() => EF.CompileAsyncQuery(
        (WorkflowDbContext db, string personId, CancellationToken _) => db.NotificationPreferences.AsNoTracking().FirstOrDefault(p => p.PersonId == personId)));

    /// <summary>The community's enabled group robots (the channel names are constants of the statement).</summary>
    private static readonly CompiledPerModel<Func<WorkflowDbContext, string, IAsyncEnumerable<string>>> RobotsOf = new(() => EF.CompileAsyncQuery(
        (WorkflowDbContext db, string communityId) => db.CommunityChannels.AsNoTracking()
            .Where(c => c.CommunityId == communityId && c.Enabled && ChannelNames.Robots.Contains(c.Channel))
            .Select(c => c.Channel)));

    private static readonly CompiledPerModel<Func<WorkflowDbContext, Guid, string, CancellationToken, Task<string?>>> StoredActivityOf = new(() => EF.CompileAsyncQuery(
        (WorkflowDbContext db, Guid instanceId, string bookmarkId, CancellationToken _) => db.WorkItems.AsNoTracking()
            .Where(w => w.InstanceId == instanceId && w.BookmarkId == bookmarkId)
            .Select(w => w.ActivityId).FirstOrDefault()));

    /// <summary>
    /// The one way a personal notification is written: the row and its outbox rows, added to <paramref name="db"/> to be
    /// saved with the caller's transaction (a step's effects, a claim reminder, a channel alert, a digest).
    /// <paramref name="except"/> leaves one channel out: an alert that a channel is failing is not sent on that channel.
    /// </summary>
    public static async Task<Notification> AddAsync(WorkflowDbContext db, PersonalNotice notice, DateTimeOffset now, CancellationToken cancellationToken, string? except = null)
    {
        var message = new Notification
        {
            Id = Guid.NewGuid(), CommunityId = notice.CommunityId, RecipientId = notice.RecipientId, InstanceId = notice.InstanceId,
            UniqueKey = notice.UniqueKey, Template = notice.Template, DataJson = notice.Data.ToJsonString(), CreatedAt = now,
        };
        db.Notifications.Add(message);
        var preference = await PreferenceOf.For(db)(db, message.RecipientId, cancellationToken);
        foreach (var channel in PersonalChannels(preference, message.Template).Where(c => c != except))
        {
            db.NotificationDeliveries.Add(NewDelivery(message, channel, now));
        }

        return message;
    }

    /// <summary>A person's outside channels for one template: none when the digest collects it for them.</summary>
    public static IReadOnlyList<string> PersonalChannels(NotificationPreference? preference, string template)
    {
        if (preference is null)
        {
            return ChannelNames.PersonalDefault;
        }

        if (preference.Digest && template is not (ChannelNames.DigestTemplate or ChannelNames.ChannelFailingTemplate))
        {
            return [];
        }

        return ChannelNames.Parse(preference.Channels);
    }

    /// <summary>
    /// The announcements of one step: a ballot opened, a ballot or decision closed with its outcome. Only names and the
    /// outcome, never totals, voters or choices (a secret ballot's choices are nowhere near these rows). Nothing when the
    /// community has no robot enabled.
    /// </summary>
    /// <remarks>
    /// Everything they need is read here: the community's robots and, for them, each closed ballot's activity; the rows are
    /// added by <see cref="AnnouncementPlan.AddTo"/>, which reads nothing. A step that takes a number reads these before it
    /// (decision 180), so that nothing but the step's write is sent while it holds the number series' row lock; the rows
    /// are added at the end of the step, where they always were.
    /// A ballot opened by this very step (its work item not yet added when this runs early) gives its activity from the
    /// opening effect, as the added work item would have.
    /// </remarks>
    public static async Task<AnnouncementPlan> PlanAnnouncementsAsync(WorkflowDbContext db, WorkflowInstance row, IReadOnlyList<Effect> effects, CancellationToken cancellationToken)
    {
        // A closed ballot's activity is looked up only once a robot is known to want it: most communities enable none.
        var events = new List<(string Event, string Subject, JsonObject Data, string? ClosedBookmark)>();
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case BallotOpened opened:
                    events.Add(("ballot-opened", opened.BookmarkId, new JsonObject
                    {
                        ["activity"] = opened.ActivityId, ["dueAt"] = opened.ClosesAt ?? opened.DueAt, ["secret"] = opened.Secret,
                    }, null));
                    break;
                case BallotClosed closed when closed.Reason is CloseReason.Decided or CloseReason.DeadlinePassed or CloseReason.Completed:
                    events.Add(("decision", closed.BookmarkId, new JsonObject { ["activity"] = null, ["outcome"] = closed.Outcome }, closed.BookmarkId));
                    break;
                case JournalEntry { Type: "DecisionTaken" } decision:
                    var activity = decision.Data["activity"]?.GetValue<string>() ?? "";
                    events.Add(("decision", activity, new JsonObject { ["activity"] = activity, ["outcome"] = decision.Data["outcome"]?.GetValue<string>() }, null));
                    break;
            }
        }

        if (events.Count == 0)
        {
            return AnnouncementPlan.None;
        }

        var robots = new List<string>();
        await foreach (var robot in RobotsOf.For(db)(db, row.CommunityId).WithCancellation(cancellationToken))
        {
            robots.Add(robot);
        }

        if (robots.Count == 0)
        {
            return AnnouncementPlan.None;
        }

        foreach (var (_, _, data, closedBookmark) in events)
        {
            if (closedBookmark is not null)
            {
                data["activity"] = OpenedBy(effects, closedBookmark) ?? await ActivityOfAsync(db, row.Id, closedBookmark, cancellationToken);
            }
        }

        return new AnnouncementPlan([.. events.Select(e => (e.Event, e.Subject, e.Data))], robots);
    }

    /// <summary>The activity of a work item this step opens (a task or a ballot), from its opening effect.</summary>
    private static string? OpenedBy(IReadOnlyList<Effect> effects, string bookmarkId)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case BallotOpened opened when opened.BookmarkId == bookmarkId:
                    return opened.ActivityId;
                case TaskOpened opened when opened.BookmarkId == bookmarkId:
                    return opened.ActivityId;
            }
        }

        return null;
    }

    public static NotificationDelivery NewDelivery(Notification message, string channel, DateTimeOffset now) => new()
    {
        NotificationId = message.Id, Channel = channel, CommunityId = message.CommunityId,
        Status = DeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now,
    };

    private static async Task<string> ActivityOfAsync(WorkflowDbContext db, Guid instanceId, string bookmarkId, CancellationToken cancellationToken) =>
        db.WorkItems.Local.FirstOrDefault(w => w.InstanceId == instanceId && w.BookmarkId == bookmarkId)?.ActivityId
        ?? await StoredActivityOf.For(db)(db, instanceId, bookmarkId, cancellationToken)
        ?? bookmarkId;
}

/// <summary>
/// A step's announcements with everything they needed read (<see cref="DeliveryPlan.PlanAnnouncementsAsync"/>): adding
/// them to the step's context reads nothing.
/// </summary>
public sealed class AnnouncementPlan(IReadOnlyList<(string Event, string Subject, JsonObject Data)> events, IReadOnlyList<string> robots)
{
    public static readonly AnnouncementPlan None = new([], []);

    /// <summary>The notification and one delivery per robot for each event, to be saved with the step.</summary>
    public void AddTo(WorkflowDbContext db, WorkflowInstance row, DateTimeOffset now)
    {
        foreach (var (kind, subject, data) in events)
        {
            data["kind"] = "announcement";
            data["event"] = kind;
            data["instance"] = row.Id.ToString();
            data["process"] = row.DefinitionId;
            var message = new Notification
            {
                Id = Guid.NewGuid(), CommunityId = row.CommunityId, RecipientId = ChannelNames.GroupRecipient, InstanceId = row.Id,
                UniqueKey = $"{row.Id}/v{row.Version}/announce/{kind}/{subject}", Template = ChannelNames.AnnouncementTemplate,
                DataJson = data.ToJsonString(), CreatedAt = now,
            };
            db.Notifications.Add(message);
            foreach (var robot in robots)
            {
                db.NotificationDeliveries.Add(DeliveryPlan.NewDelivery(message, robot, now));
            }
        }
    }
}

/// <summary>A notification to one person: where it belongs, its key (once per key), its template and data.</summary>
public sealed record PersonalNotice(string CommunityId, string RecipientId, string UniqueKey, string Template, JsonObject Data, Guid? InstanceId = null);
