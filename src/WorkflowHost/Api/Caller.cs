using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;

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

/// <summary>Finds the <see cref="Caller"/> for the signed-in account, once per request.</summary>
public sealed class CallerResolver(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog)
{
    private static readonly object Key = new();

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
            await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
            var person = await db.People.AsNoTracking().Include(p => p.Roles).FirstOrDefaultAsync(p => p.Id == personId, context.RequestAborted);
            if (person is not null)
            {
                var roles = person.Roles.Select(r => r.Role).ToHashSet(StringComparer.Ordinal);
                IReadOnlyList<string> overseen = [];
                if (roles.Contains(RoleNames.StreetCommittee))
                {
                    // A street committee oversees every community of its street (街道); see docs/decisions/0021.
                    var street = await db.Communities.AsNoTracking().Where(c => c.Id == person.CommunityId).Select(c => c.StreetZh).FirstAsync(context.RequestAborted);
                    overseen = await db.Communities.AsNoTracking().Where(c => c.StreetZh == street).Select(c => c.Id).OrderBy(id => id).ToListAsync(context.RequestAborted);
                }
                else if (roles.Contains(RoleNames.DistrictOrganisation))
                {
                    // The district organisation department reads every community of its district (区); it acts on none (decision 108).
                    var district = await db.Communities.AsNoTracking().Where(c => c.Id == person.CommunityId).Select(c => c.DistrictZh).FirstAsync(context.RequestAborted);
                    overseen = district.Length == 0 ? [person.CommunityId]
                        : await db.Communities.AsNoTracking().Where(c => c.DistrictZh == district).Select(c => c.Id).OrderBy(id => id).ToListAsync(context.RequestAborted);
                }

                caller = new Caller(person.Id, person.NameZh, person.CommunityId, person.UnitId, roles, overseen, person.Language);
                caller = caller with { ContributesTo = CollectionsOpenTo(caller) };
            }
        }

        context.Items[Key] = caller;
        return caller;
    }

    /// <summary>Windows whose contributors are chosen by role, unit or name; "the initiator" sees the instance anyway.</summary>
    private IReadOnlyList<string> CollectionsOpenTo(Caller caller) =>
    [
        .. from definition in catalog.Published
           from collect in definition.Activities.OfType<CollectActivity>()
           let who = collect.Contributors
           where (who.Role is { } role && caller.Has(role))
               || (who.Unit is { } unit && unit != ParticipantSelector.SubmittingUnit && caller.LiaisonOfUnit == unit)
               || (who.Member is { } member && member == caller.PersonId)
           select definition.Id + "/" + collect.Id,
    ];
}
