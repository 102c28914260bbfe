using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// Issues one numbered document of an instance in the step's transaction: the next number of the series (the counters of
/// <c>issueNumber</c>), the frozen canonical content, the register of issued numbers and the <c>DocumentIssued</c> journal
/// event with the content's SHA-256. Used by <c>issueDocument</c> and by registers that issue several documents at once
/// (the feedback letters, one per unit). The step's applier takes the two rows to write in the step's own command
/// (<paramref name="issued"/>, decision 175); a register, given none, leaves them to the change tracker.
/// </summary>
internal static class DocumentIssuer
{
    public sealed record Issue(string DocumentType, string Series, int Year, string Format, string ActivityId, JsonObject Content, JsonArray? Attachments = null);

    public static async Task<string> IssueAsync(
        WorkflowDbContext db, WorkflowInstance row, DateTimeOffset now, Engine.Time.IWorkingCalendar calendar, Issue issue,
        Action<string, JsonObject> journal, CancellationToken cancellationToken, Action<IssuedDocument, IssuedNumber>? issued = null)
    {
        var number = await NumberAllocator.NextAsync(db, row.CommunityId, issue.Series, issue.Year, issue.Format, cancellationToken);
        var document = new JsonObject
        {
            ["document"] = issue.DocumentType,
            ["number"] = number,
            ["community"] = row.CommunityId,
            ["issuedOn"] = calendar.DateOf(now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["content"] = issue.Content.DeepClone(),
        };
        if (issue.Attachments is { Count: > 0 } files)
        {
            // The reply names the files it was decided on by their SHA-256: a copy shown later can be checked against it.
            document["attachments"] = files.DeepClone();
        }

        var canonical = CanonicalJson.Of(document);
        var issuedDocument = new IssuedDocument
        {
            Id = Guid.NewGuid(), CommunityId = row.CommunityId, DocumentType = issue.DocumentType, Series = issue.Series, Year = issue.Year,
            Number = number, InstanceId = row.Id, ActivityId = issue.ActivityId, ContentJson = canonical, IssuedAt = now,
        };

        // Every number handed out is also in the register of issued numbers, which the instance view lists as documents.
        var issuedNumber = new IssuedNumber
        {
            CommunityId = row.CommunityId, Series = issue.Series, Number = number, Year = issue.Year,
            InstanceId = row.Id, ActivityId = issue.ActivityId, IssuedAt = now,
        };
        if (issued is not null)
        {
            issued(issuedDocument, issuedNumber);
        }
        else
        {
            db.Set<IssuedDocument>().Add(issuedDocument);
            db.IssuedNumbers.Add(issuedNumber);
        }
        journal(JournalEventTypes.DocumentIssued, new JsonObject
        {
            ["activity"] = issue.ActivityId,
            ["document"] = issue.DocumentType,
            ["number"] = number,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))),
        });
        return number;
    }
}
