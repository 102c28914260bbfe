using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// A numbered document as it was issued and frozen (decision 37), printable: minutes (会议纪要) with the meeting, the
/// attendance, every round's totals, the resolution and its actions; any other kind as its fields. Until now minutes
/// printed on the consultation reply's page, as if they were a reply.
/// </summary>
public sealed class DocumentModel(InstanceReader reader, ActivityRecords records) : WebPageModel
{
    public InstanceView Instance { get; private set; } = null!;

    public IssuedDocumentView Document { get; private set; } = null!;

    public DocumentView? Issued { get; private set; }

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    public override string Title => Document is null ? T.Documents : $"{T.DocumentKind(Document.Series)} {Document.Number}";

    public async Task<IActionResult> OnGetAsync(Guid id, string number, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(Me, id, cancellationToken) is not { } instance
            || await records.DocumentAsync(instance, number, cancellationToken) is not { } document)
        {
            return NotFound();
        }

        Instance = instance;
        Document = document;
        Issued = instance.Documents.FirstOrDefault(d => d.Number == number);
        Names = await records.NamesAsync(Me, instance, cancellationToken);
        return Page();
    }

    public JsonNode? Field(string name) => Document.Content[name];

    /// <summary>A content value as text: ids of people and units as their names, lists joined, objects as "key value" pairs.</summary>
    public string Show(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => Names.GetValueOrDefault(text) ?? text,
        JsonValue value => value.ToJsonString(),
        JsonArray list => string.Join(T.En ? "; " : "；", list.Select(Show)),
        JsonObject map => string.Join(T.En ? ", " : "，", map.Select(pair => $"{Label(pair.Key)} {Show(pair.Value)}")),
        _ => node.ToJsonString(),
    };

    /// <summary>The ballot's options and the actions' keys in words; any other key as it is.</summary>
    private string Label(string key) => key switch
    {
        "consent" or "no-consent" or "passed" or "rejected" or "no-quorum" => T.ResultOf(key),
        "unit" => T.ResponsibleUnit,
        "description" => T.FollowUpItem,
        "dueDate" => T.Deadline,
        "round" => T.MinutesRounds,
        "totals" => T.Totals,
        "outcome" => T.Outcome,
        _ => key,
    };
}
