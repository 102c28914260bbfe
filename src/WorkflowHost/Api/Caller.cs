using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Api;

/// <summary>
/// The person behind a request, as the directory knows them now: roles, unit, community, and the communities a street
/// committee contact oversees. Read from the database on every request, so a role taken away applies at once.
/// </summary>
public sealed record Caller(
    string PersonId,
    string Name,
    string CommunityId,
    string? UnitId,
    IReadOnlySet<string> Roles,
    IReadOnlyList<string> OverseenCommunities,
    string Language)
{
    public const string PersonClaim = "person";

    public bool Has(string role) => Roles.Contains(role);

    /// <summary>Secretary, office and administrator see every instance of their community.</summary>
    public bool SeesWholeCommunity => Has(RoleNames.Secretary) || Has(RoleNames.Office) || Has(RoleNames.Administrator);

    /// <summary>The committee's side of the table: may see who is on a ballot and, on an open ballot, who chose what.</summary>
    public bool SeesBallotDetail =>
        RoleNames.Committee.Any(Has) || Has(RoleNames.Administrator);

    public string? LiaisonOfUnit => Has(RoleNames.UnitLiaison) ? UnitId : null;

    /// <summary>What decides which instances this person may see (<see cref="Access.VisibleTo"/>).</summary>
    public Viewer AsViewer() => new(PersonId, CommunityId, SeesWholeCommunity, [.. OverseenCommunities], LiaisonOfUnit, [.. Roles], [.. ContributesTo]);

    /// <summary>Whose inbox to read, from what this request already knows: the inbox need not read the person again.</summary>
    public WorkHolder AsWorkHolder() => new(PersonId, CommunityId, UnitId, [.. Roles]);

    /// <summary>
    /// The collection windows (报名、认领) this person may contribute to, as <c>definition/activity</c>: while one is open
    /// on an instance of their community, they can see that instance, so a unit can find an activity to sign up for.
    /// </summary>
    public IReadOnlyList<string> ContributesTo { get; init; } = [];

    /// <summary>
    /// Lets a handler take a <see cref="Caller"/> parameter. Endpoints that take one require a signed-in account (the
    /// group's authorization policy), so a missing person means an account whose person was removed: refused.
    /// </summary>
    public static async ValueTask<Caller> BindAsync(HttpContext context) =>
        await context.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(context)
        ?? throw new UnknownCallerException();
}

/// <summary>The account is signed in but is not linked to a person of the directory (any more); answered with 403.</summary>
public sealed class UnknownCallerException : Exception
{
    public UnknownCallerException()
        : base("This account is not linked to a person in the directory.")
    {
    }

    public UnknownCallerException(string message)
        : base(message)
    {
    }

    public UnknownCallerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A person's directory entry, as a <see cref="Caller"/> is built from it.</summary>
public sealed record CallerEntry(string Id, string NameZh, string CommunityId, string? UnitId, string Language, List<string> Roles);

/// <summary>
/// Finds the <see cref="Caller"/> for the signed-in account, once per request. The session check, which every signed-in
/// request passes first, reads the person's entry in the same statement as the session (<see cref="RememberEntry"/>), so
/// resolving the caller usually costs no round trip of its own; still read in this request, so a role taken away
/// applies at once, as before (docs/decisions/0100).
/// </summary>
public sealed class CallerResolver(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog)
{
    private static readonly object Key = new();

    private static readonly object EntryKey = new();

    /// <summary>The person's entry as the session check of this request read it (null: the account has no person).</summary>
    public static void RememberEntry(HttpContext context, string personId, CallerEntry? entry) => context.Items[EntryKey] = (personId, entry);

    /// <summary>Forgets the caller and entry of this request: they came from a reused session check found stale (decision 173).</summary>
    public static void Forget(HttpContext context)
    {
        context.Items.Remove(Key);
        context.Items.Remove(EntryKey);
    }

    public async Task<Caller?> ResolveAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var cached))
        {
            return (Caller?)cached;
        }

        var personId = context.User.FindFirstValue(Caller.PersonClaim);
        Caller? caller = null;
        if (personId is not null)
        {
            var person = context.Items.TryGetValue(EntryKey, out var remembered) && remembered is (string rememberedId, var entry) && rememberedId == personId
                ? (CallerEntry?)entry
                : await ReadEntryAsync(personId, context.RequestAborted);
            if (person is not null)
            {
                var roles = person.Roles.ToHashSet(StringComparer.Ordinal);
                IReadOnlyList<string> overseen = roles.Contains(RoleNames.StreetCommittee) || roles.Contains(RoleNames.DistrictOrganisation)
                    ? await OverseenCommunitiesAsync(person.CommunityId, roles, context.RequestAborted)
                    : [];
                caller = new Caller(person.Id, person.NameZh, person.CommunityId, person.UnitId, roles, overseen, person.Language);
                caller = caller with { ContributesTo = CollectionsOpenTo(caller) };
            }
        }

        context.Items[Key] = caller;
        return caller;
    }

    /// <summary>The entry read on its own, when no session check of this request read it.</summary>
    private async Task<CallerEntry?> ReadEntryAsync(string personId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new CallerEntry(p.Id, p.NameZh, p.CommunityId, p.UnitId, p.Language, p.Roles.Select(r => r.Role).ToList()))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>A street committee oversees every community of its street (街道); see docs/decisions/0021.</summary>
    private async Task<IReadOnlyList<string>> OverseenCommunitiesAsync(string communityId, HashSet<string> roles, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (roles.Contains(RoleNames.StreetCommittee))
        {
            // A street committee oversees every community of its street (街道); see docs/decisions/0021.
            var street = await db.Communities.AsNoTracking().Where(c => c.Id == communityId).Select(c => c.StreetZh).FirstAsync(cancellationToken);
            return await db.Communities.AsNoTracking().Where(c => c.StreetZh == street).Select(c => c.Id).OrderBy(id => id).ToListAsync(cancellationToken);
        }

        // The district organisation department reads every community of its district (区); it acts on none (decision 108).
        var district = await db.Communities.AsNoTracking().Where(c => c.Id == communityId).Select(c => c.DistrictZh).FirstAsync(cancellationToken);
        return district.Length == 0 ? [communityId]
            : await db.Communities.AsNoTracking().Where(c => c.DistrictZh == district).Select(c => c.Id).OrderBy(id => id).ToListAsync(cancellationToken);
    }

    /// <summary>The collection windows the caller may contribute to (<see cref="CollectionWindows"/>).</summary>
    private IReadOnlyList<string> CollectionsOpenTo(Caller caller) => CollectionWindows.OpenTo(catalog.Published, caller);
}
