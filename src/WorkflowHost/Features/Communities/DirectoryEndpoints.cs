using WorkflowHost.Api;
using WorkflowHost.Features.Communities.Import;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Features.Communities;

/// <summary>
/// The directory of one community, read and administered: <c>/api/communities/{communityId}/…</c>. Tenancy is checked
/// once, by the group's filter (<see cref="Tenancy"/>, decision 108): another community's id is a 404, reading without
/// administering a 403 on writes; the store then looks records up only inside that community.
/// </summary>
internal static class DirectoryEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/communities", async (Caller caller, DirectoryReader reader, CancellationToken cancellationToken) =>
                Results.Ok(await reader.SummariesAsync(caller.ReadableCommunities(), cancellationToken)))
            .WithTags("Directory")
            .WithName("ListCommunities")
            .WithSummary("The communities whose directory I may read, with their numbers of units, people and committee members")
            .Produces<IReadOnlyList<CommunitySummary>>();

        var community = api.MapGroup("/communities/{communityId}")
            .WithTags("Directory")
            .AddEndpointFilter(async (context, next) =>
                (await Caller.BindAsync(context.HttpContext)).AccessTo(CommunityOf(context.HttpContext)) == CommunityAccess.None
                    ? Problems.NotFound($"There is no community '{CommunityOf(context.HttpContext)}'.")
                    : await next(context))
            .ProducesProblem(StatusCodes.Status404NotFound);

        community.MapGet("/directory", async (string communityId, DirectoryReader reader, CancellationToken cancellationToken) =>
                Results.Ok(await reader.ReadAsync(communityId, cancellationToken)))
            .WithName("GetDirectory")
            .WithSummary("The community's units, people with their roles and role history, and committee terms")
            .Produces<DirectoryView>();

        community.MapGet("/directory/changes", async (string communityId, int? limit, DirectoryReader reader, CancellationToken cancellationToken) =>
                Results.Ok(await reader.ChangesAsync(communityId, Math.Clamp(limit ?? 200, 1, 1000), cancellationToken)))
            .WithName("GetDirectoryChanges")
            .WithSummary("The directory's change journal, newest first: who, what, when, before and after")
            .Produces<IReadOnlyList<DirectoryChangeView>>();

        var admin = community.MapGroup("")
            .AddEndpointFilter(async (context, next) =>
                (await Caller.BindAsync(context.HttpContext)).AccessTo(CommunityOf(context.HttpContext)) == CommunityAccess.Administer
                    ? await next(context)
                    : Problems.Forbidden("Only the community's administrator changes its directory."))
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem();

        admin.MapPost("/units", (string communityId, Body<UnitRequest> body, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                body.Value.Id is not { } id
                    ? Task.FromResult(Problems.Field("id", "The new unit's id."))
                    : Answer(directory.AddUnitAsync(caller.PersonId, communityId, id, body.Value.ToInput(), cancellationToken), created: true))
            .Accepts<UnitRequest>("application/json")
            .WithName("AddUnit").WithSummary("Add a resident unit, with the date it joined and its co-building agreement")
            .Produces<DirectoryAnswer>(StatusCodes.Status201Created);

        admin.MapPut("/units/{unitId}", (string communityId, string unitId, Body<UnitRequest> body, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                body.Value.Version is not { } version
                    ? Task.FromResult(Problems.Field("version", "The version you read (409 when someone changed it meanwhile)."))
                    : Answer(directory.EditUnitAsync(caller.PersonId, communityId, unitId, version, body.Value.ToInput(), cancellationToken)))
            .Accepts<UnitRequest>("application/json")
            .WithName("EditUnit").WithSummary("Edit a resident unit (names, kind, joined date, agreement)")
            .Produces<DirectoryAnswer>();

        admin.MapPut("/units/{unitId}/in-service-members", (string communityId, string unitId, Body<InServiceTotalRequest> body, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                Answer(directory.SetInServiceMembersAsync(caller.PersonId, communityId, unitId, body.Value.InServiceMembers, cancellationToken)))
            .Accepts<InServiceTotalRequest>("application/json")
            .WithName("SetUnitInServiceMembers").WithSummary("Set or clear the unit's total of in-service party members, the denominator of its registration rate on the dashboard")
            .Produces<DirectoryAnswer>();

        admin.MapPost("/units/{unitId}/end", (string communityId, string unitId, Body<EndRequest> body, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                Answer(directory.EndUnitAsync(caller.PersonId, communityId, unitId, body.Value.On!.Value, cancellationToken)))
            .Accepts<EndRequest>("application/json")
            .WithName("EndUnit").WithSummary("End a unit's membership on a date; ending it twice is a conflict")
            .Produces<DirectoryAnswer>();

        admin.MapPost("/people", (string communityId, Body<PersonRequest> body, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                body.Value.Id is not { } id
                    ? Task.FromResult(Problems.Field("id", "The new person's id (also their user name)."))
                    : Answer(directory.AddPersonAsync(caller.PersonId, communityId, id, body.Value.ToInput(), cancellationToken), created: true))
            .Accepts<PersonRequest>("application/json")
            .WithName("AddPerson").WithSummary("Add a person; roles are granted separately, with their dates")
            .Produces<DirectoryAnswer>(StatusCodes.Status201Created);

        admin.MapPut("/people/{personId}", (string communityId, string personId, Body<PersonRequest> body, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                body.Value.Version is not { } version
                    ? Task.FromResult(Problems.Field("version", "The version you read (409 when someone changed it meanwhile)."))
                    : Answer(directory.EditPersonAsync(caller.PersonId, communityId, personId, version, body.Value.ToInput(), cancellationToken)))
            .Accepts<PersonRequest>("application/json")
            .WithName("EditPerson").WithSummary("Edit a person (names, unit, title, contact, language)")
            .Produces<DirectoryAnswer>();

        admin.MapPost("/people/{personId}/deactivate", (string communityId, string personId, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                Answer(directory.DeactivatePersonAsync(caller.PersonId, communityId, personId, cancellationToken)))
            .WithName("DeactivatePerson").WithSummary("Deactivate a person: roles end, sessions end, sign-in is refused; the history stays")
            .Produces<DirectoryAnswer>();

        admin.MapPost("/people/{personId}/roles", (string communityId, string personId, Body<RoleRequest> body, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                Answer(directory.GrantRoleAsync(caller.PersonId, communityId, personId, body.Value.Role!, body.Value.From!.Value, cancellationToken)))
            .Accepts<RoleRequest>("application/json")
            .WithName("GrantRole").WithSummary("Grant a role from a date; committee-member joins the current term")
            .Produces<DirectoryAnswer>();

        admin.MapPost("/people/{personId}/roles/{role}/end", (string communityId, string personId, string role, Body<EndRequest> body, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                Answer(directory.EndRoleAsync(caller.PersonId, communityId, personId, role, body.Value.On!.Value, cancellationToken)))
            .Accepts<EndRequest>("application/json")
            .WithName("EndRole").WithSummary("End a role on a date; ending committee-member takes the member off open ballots not yet voted on")
            .Produces<DirectoryAnswer>();

        admin.MapPost("/terms", (string communityId, Body<TermRequest> body, Caller caller, DirectoryAdministration directory, CancellationToken cancellationToken) =>
                Answer(directory.StartTermAsync(caller.PersonId, communityId, new TermInput(body.Value.Number!.Value, body.Value.StartsOn!.Value,
                    [.. body.Value.Members!.Select(m => new TermMemberInput(m.PersonId!, m.Kind!, m.UnitId))]), cancellationToken), created: true))
            .Accepts<TermRequest>("application/json")
            .WithName("StartTerm").WithSummary("Start a new committee term that replaces the current one on its start date")
            .Produces<DirectoryAnswer>(StatusCodes.Status201Created);

        ImportEndpoints.Map(admin);
    }

    private static string CommunityOf(HttpContext context) => (string)context.GetRouteValue("communityId")!;

    private static async Task<IResult> Answer(Task<DirectoryResult> change, bool created = false)
    {
        var result = await change;
        return result.Outcome switch
        {
            DirectoryOutcome.Done => created ? Results.Json(new DirectoryAnswer(result.Version), statusCode: StatusCodes.Status201Created) : Results.Ok(new DirectoryAnswer(result.Version)),
            DirectoryOutcome.Invalid => Problems.Field(result.Field ?? "body", result.Message!),
            DirectoryOutcome.NotFound => Problems.NotFound(result.Message!),
            _ => Problems.Conflict("directoryConflict", result.Message!),
        };
    }
}

/// <summary>What a directory change answers: the record's new version, for the next edit.</summary>
public sealed record DirectoryAnswer(int? Version);
