using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Runtime;

/// <summary>A comment to store so the host can list an instance's discussion; <paramref name="CommentId"/> is unique in the instance.</summary>
/// <param name="Files">The comment's files as stored references (<c>{id, sha256, name, size, kind}</c>), or null when it has none.</param>
public sealed record CommentRecorded(string CommentId, string ActorId, string Text, string? BookmarkId, JsonArray? Files = null) : Effect;

/// <summary>
/// Reserve <paramref name="Resource"/> (a shared facility, 设施共享) from <paramref name="StartsAt"/> to <paramref name="EndsAt"/> for
/// contribution <paramref name="Index"/> of a collection. The store checks, across every instance of the community, that
/// the facility exists, belongs to the contributing unit and is free for that time; if not, the whole step is refused.
/// </summary>
public sealed record ReservationRequested(
    string ActivityId, int Index, string Resource, string ResourceField, string? UnitId, DateTimeOffset StartsAt, DateTimeOffset EndsAt) : Effect;

/// <summary>The reservation made for contribution <paramref name="Index"/> of a collection is given back (the pledge was retracted).</summary>
public sealed record ReservationReleased(string ActivityId, int Index) : Effect;

/// <summary>Every reservation the instance holds is given back (the activity was declined).</summary>
public sealed record AllReservationsReleased(string ActivityId) : Effect;

/// <summary>
/// Data only the store can provide (the nominee's community record, earlier consultations): the store resolves
/// <paramref name="Provider"/> with <paramref name="Parameters"/> in the step's transaction and writes the result into
/// <c>variables[ActivityId]</c>, like <see cref="NumberRequested"/> does for numbers.
/// </summary>
public sealed record LookupRequested(string ActivityId, string Provider, JsonObject Parameters) : Effect;

/// <summary>
/// Issue a numbered document (a reply 意见回执, minutes 会议纪要) whose content is <paramref name="Content"/>: the store allocates
/// the number from <paramref name="Series"/> (shared with <c>issueNumber</c>), keeps the document as issued, and writes
/// <c>number</c>, <c>series</c>, <c>document</c> and <c>issuedAt</c> into <c>variables[ActivityId]</c>.
/// </summary>
public sealed record DocumentRequested(string ActivityId, string Document, string Series, int Year, string Format, JsonObject Content) : Effect;

/// <summary>Rows for one of the store's registers (community participation, co-building record), built from instance data.</summary>
public sealed record RecordsRequested(string ActivityId, string Register, JsonObject Values, JsonArray Rows) : Effect;
