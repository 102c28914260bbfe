using System.Globalization;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>The pledges of an activity as a table; <see cref="RetractableBy"/> is the caller's unit when they may take theirs back.</summary>
public sealed record PledgeLedgerView(IReadOnlyList<PledgeView> Pledges, WorkflowDefinition? Definition, Texts T, TimeZoneInfo Zone, string? RetractableBy)
{
    /// <summary>Each field of the pledge with its label and, for a choice, its option's label: "认领类别 共享设施 · 志愿者人数 6".</summary>
    public string Describe(PledgeView pledge)
    {
        var fields = (Definition?.FindActivity(pledge.Activity) as CollectActivity)?.Fields ?? [];
        var parts = fields.Where(f => pledge.Item[f.Name] is not null).Select(f =>
        {
            var value = pledge.Item[f.Name]!.ToString();
            var shown = f.Options.FirstOrDefault(o => o.Value == value)?.Label.For(T.Language) ?? value;
            return $"{f.Label.For(T.Language)} {shown}";
        });
        return string.Join(" · ", parts);
    }

    public string Hours(DateTimeOffset from, DateTimeOffset to)
    {
        var start = TimeZoneInfo.ConvertTime(from, Zone);
        var end = TimeZoneInfo.ConvertTime(to, Zone);
        return string.Create(CultureInfo.InvariantCulture, $"{start:yyyy-MM-dd HH:mm}–{end:HH:mm}");
    }
}
