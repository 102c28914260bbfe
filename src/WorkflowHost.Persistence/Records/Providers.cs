using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService;

namespace WorkflowHost.Persistence.Records;

/// <summary>
/// <c>community-record</c>: the nominee's record in the community (在职党员报到、服务时长、认领岗位), found among the in-service
/// members registered with the community for the nominating unit: by <c>member</c> (a registered person the unit chose from
/// the list) when given, otherwise by <c>name</c> and, when both are known, the masked <c>idNumber</c>. Parameters:
/// <c>name</c>, <c>unit</c>, optional <c>idNumber</c> (masked), optional <c>member</c>. Not found, the result says
/// <c>registered: false</c> so the pages show "no registration found", never an empty record.
/// </summary>
internal sealed class CommunityRecordProvider : ILookupProvider
{
    public const int MaxListed = 50;

    public string Name => "community-record";

    public async Task<JsonObject> ResolveAsync(StoreStepContext context, JsonObject parameters, CancellationToken cancellationToken)
    {
        var name = Text(parameters["name"]);
        var unit = Text(parameters["unit"]);
        var idNumber = Text(parameters["idNumber"]);
        var member = Text(parameters["member"]);
        if ((name is null && member is null) || unit is null)
        {
            return NotFound("no nominee name or unit");
        }

        var registrations = context.Db.Set<InServiceRegistration>().AsNoTracking()
            .Where(r => r.CommunityId == context.Instance.CommunityId && r.UnitId == unit);
        var candidates = await (member is not null ? registrations.Where(r => r.PersonId == member) : registrations)
            .Join(context.Db.People.AsNoTracking(), r => r.PersonId, p => p.Id, (r, p) => new { Registration = r, p.NameZh, p.NameEn })
            .Where(x => member != null || x.NameZh == name || x.NameEn == name)
            .ToListAsync(cancellationToken);
        if (idNumber is not null && member is null)
        {
            candidates = [.. candidates.Where(c => c.Registration.MaskedIdNumber is null || c.Registration.MaskedIdNumber == idNumber)];
        }

        if (candidates.Count != 1)
        {
            return NotFound(candidates.Count == 0
                ? "no in-service member of this name is registered with the community by this unit"
                : $"{candidates.Count} registered in-service members of this unit have this name");
        }

        var registration = candidates[0].Registration;
        var participations = await context.Db.Set<CommunityParticipation>().AsNoTracking()
            .Where(p => p.PersonId == registration.PersonId)
            .OrderByDescending(p => p.Date).ThenBy(p => p.Title)
            .Select(p => new { p.Date, p.Title, p.Role })
            .ToListAsync(cancellationToken);
        var claims = await InServiceRecords.ClaimsOfAsync(context.Db, registration.PersonId, cancellationToken);
        var today = context.Calendar.DateOf(context.Now);
        var hours = InServiceRecords.Hours(claims, today.Year);
        var feedback = await InService.Feedback.FeedbackReader.OfMemberAsync(context.Db, context.Instance.CommunityId, registration.PersonId, cancellationToken);
        return new JsonObject
        {
            ["found"] = true,
            ["registered"] = true,
            ["person"] = registration.PersonId,
            ["registeredOn"] = Date(registration.RegisteredOn),
            ["residence"] = registration.ResidenceZh,
            ["branch"] = registration.Branch,
            ["hoursThisYear"] = hours.HoursThisYear,
            ["hoursLastYear"] = hours.HoursLastYear,
            ["posts"] = new JsonArray([.. claims.Where(c => c.Status == ServiceClaimStatus.Completed).Take(MaxListed).Select(c => (JsonNode)new JsonObject
            {
                ["kind"] = c.Kind, ["category"] = c.Category, ["title"] = c.Title, ["servedOn"] = c.ServedOn is { } on ? Date(on) : null,
                ["hours"] = (c.Minutes ?? 0) / 60m,
            })]),
            ["participationCount"] = participations.Count,
            ["participationsLastYear"] = participations.Count(p => p.Date > today.AddYears(-1)),
            ["participationsThisYear"] = participations.Count(p => p.Date.Year == today.Year),
            ["activitiesThisYear"] = new JsonArray([.. participations.Where(p => p.Date.Year == today.Year).Take(MaxListed).Select(p => (JsonNode)new JsonObject
            {
                ["date"] = Date(p.Date),
                ["title"] = p.Title,
                ["role"] = p.Role,
            })]),
            ["participations"] = new JsonArray([.. participations.Take(MaxListed).Select(p => (JsonNode)new JsonObject
            {
                ["date"] = Date(p.Date),
                ["title"] = p.Title,
            })]),

            // The community's annual feedback to the unit (年度反馈): only evaluations a letter carried, newest year first.
            ["evaluations"] = new JsonArray([.. feedback.Select(f => (JsonNode)new JsonObject
            {
                ["year"] = f.Year, ["rating"] = f.Rating, ["comment"] = f.Comment, ["letterNumber"] = f.LetterNumber,
            })]),
        };
    }

    private static JsonObject NotFound(string reason) => new() { ["found"] = false, ["registered"] = false, ["reason"] = reason };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim() is { Length: > 0 } text ? text : null;
}

/// <summary>
/// <c>prior-consultations</c>: earlier instances of the same process, this calendar year, in which the same unit consulted on
/// the same nominee for the same kind. Any such consultation flags the new one to the office; one that ended in
/// "no consent" (final for that nomination) is counted apart. Parameters: <c>nominee</c>, <c>kind</c>, <c>unit</c>.
/// The nominee and kind are matched by the instances' subject key, which this lookup also puts on its own instance
/// (decision 145): one indexed read of the matching rows, no earlier state read or parsed.
/// </summary>
internal sealed class PriorConsultationsProvider : ILookupProvider
{
    /// <summary>The document whose number is reported for each earlier consultation (its 意见回执).</summary>
    public const string ReplyDocument = "consultation-reply";

    public const string LookupName = "prior-consultations";

    public string Name => LookupName;

    public async Task<JsonObject> ResolveAsync(StoreStepContext context, JsonObject parameters, CancellationToken cancellationToken)
    {
        var subject = ConsultationSubject.KeyOf(parameters);
        var unit = CommunityRecordProvider.Text(parameters["unit"]);
        var year = context.Calendar.YearOf(context.Now);
        var from = context.Calendar.At(new DateOnly(year, 1, 1), TimeOnly.MinValue);
        var to = context.Calendar.At(new DateOnly(year + 1, 1, 1), TimeOnly.MinValue);
        var instance = context.Instance;
        var db = context.Db;
        var rows = await db.Instances.AsNoTracking()
            .Where(i => i.CommunityId == instance.CommunityId && i.DefinitionId == instance.DefinitionId && i.UnitId == unit
                && i.SubjectKey == subject && i.CreatedAt >= from && i.CreatedAt < to && i.Id != instance.Id)
            .OrderBy(i => i.CreatedAt)
            .Select(i => new
            {
                i.Id, i.Status, i.Result, i.CreatedAt,

                // A consultation issues at most one reply; the first issued, should a process ever issue more.
                ReplyNumber = db.Set<IssuedDocument>()
                    .Where(d => d.InstanceId == i.Id && d.DocumentType == ReplyDocument)
                    .OrderBy(d => d.IssuedAt).ThenBy(d => d.Number)
                    .Select(d => d.Number).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        await ConsultationSubject.RecordAsync(context, subject, cancellationToken);

        var previous = new JsonArray([.. rows.Select(row => (JsonNode)new JsonObject
        {
            ["instance"] = row.Id.ToString(),
            ["status"] = row.Status,
            ["result"] = row.Result,
            ["startedAt"] = row.CreatedAt,
            ["replyNumber"] = row.ReplyNumber,
        })]);
        var counted = rows.Count(r => r.Status != InstanceRowStatus.Withdrawn);
        var noConsent = rows.Count(r => r.Result == "no-consent");
        return new JsonObject
        {
            ["year"] = year,
            ["count"] = counted,
            ["noConsent"] = noConsent,
            ["flagged"] = counted > 0,
            ["afterNoConsent"] = noConsent > 0,
            ["previous"] = previous,
        };
    }
}
