using System.Globalization;
using System.Security;
using System.Text;
using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Features.Processes;

/// <summary>
/// Draws a definition as an SVG, top to bottom: activities in layers by their distance from the start, forward
/// transitions as straight arrows, transitions that go back (amend and resubmit, vote again) as curves on the right.
/// Each arrow is labelled with its outcome unless it is the only one (<c>done</c>). Plain SVG, no script.
/// </summary>
internal static class ProcessDiagram
{
    private const int NodeWidth = 200;
    private const int NodeHeight = 54;
    private const int ColumnGap = 50;
    private const int RowGap = 70;
    private const int Margin = 30;
    private const int BackLane = 150;
    private const int Top = Margin + 24;

    private static readonly Dictionary<string, (string Fill, string Stroke, string Zh, string En)> Styles = new(StringComparer.Ordinal)
    {
        ["humanTask"] = ("#e8f0fe", "#1a56db", "任务", "task"),
        ["ballot"] = ("#fff4e5", "#c2410c", "表决", "ballot"),
        ["decision"] = ("#f3e8ff", "#7e22ce", "判断", "decision"),
        ["parallelSplit"] = ("#f1f5f9", "#475569", "并行", "split"),
        ["join"] = ("#f1f5f9", "#475569", "汇合", "join"),
        ["timer"] = ("#ecfeff", "#0e7490", "计时", "timer"),
        ["notify"] = ("#f0fdf4", "#15803d", "通知", "notice"),
        ["issueNumber"] = ("#fefce8", "#a16207", "编号文书", "numbered document"),
        ["end"] = ("#f5f5f4", "#292524", "结束", "end"),
    };

    public static string Render(WorkflowDefinition definition, string language)
    {
        var english = LocalizedText.IsEnglish(language);
        var layer = new Dictionary<string, int>(StringComparer.Ordinal) { [definition.Start] = 0 };
        var order = new List<string> { definition.Start };
        var queue = new Queue<string>([definition.Start]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var next in definition.Transitions.Where(t => t.From == id).Select(t => t.To))
            {
                if (layer.TryAdd(next, layer[id] + 1))
                {
                    order.Add(next);
                    queue.Enqueue(next);
                }
            }
        }

        var lastLayer = layer.Values.DefaultIfEmpty(0).Max();
        foreach (var activity in definition.Activities.Where(a => !layer.ContainsKey(a.Id)))
        {
            layer[activity.Id] = ++lastLayer;
            order.Add(activity.Id);
        }

        var rows = order.GroupBy(id => layer[id]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var widest = rows.Max(r => r.Count);
        var contentWidth = (widest * NodeWidth) + ((widest - 1) * ColumnGap);
        var width = (Margin * 2) + contentWidth + BackLane;
        var height = Top + Margin + (rows.Count * NodeHeight) + ((rows.Count - 1) * RowGap);
        var position = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            var rowWidth = (rows[r].Count * NodeWidth) + ((rows[r].Count - 1) * ColumnGap);
            var left = Margin + ((contentWidth - rowWidth) / 2.0);
            for (var c = 0; c < rows[r].Count; c++)
            {
                position[rows[r][c]] = (left + (c * (NodeWidth + ColumnGap)), Top + (r * (NodeHeight + RowGap)));
            }
        }

        var svg = new StringBuilder();
        Append(svg, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" font-size="13">""");
        Append(svg, $"<title>{Escape(definition.Name.For(language))}</title>");
        svg.Append("""<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#374151"/></marker></defs>""");

        var column = rows.SelectMany(r => r.Select((id, c) => (id, c))).ToDictionary(p => p.id, p => p.c, StringComparer.Ordinal);
        var backIndex = 0;
        foreach (var transition in definition.Transitions)
        {
            if (!position.TryGetValue(transition.From, out var from) || !position.TryGetValue(transition.To, out var to))
            {
                continue;
            }

            var label = definition.Transitions.Count(t => t.From == transition.From) > 1 || transition.Outcome != Outcomes.Done ? transition.Outcome : null;
            var kind = layer[transition.To] > layer[transition.From] ? "transition" : "transition back";
            var data = $"class=\"{kind}\" data-from=\"{Escape(transition.From)}\" data-to=\"{Escape(transition.To)}\" ";
            if (layer[transition.To] > layer[transition.From])
            {
                var (x1, y1) = (from.X + (NodeWidth / 2.0), from.Y + NodeHeight);
                var (x2, y2) = (to.X + (NodeWidth / 2.0), to.Y);
                Append(svg, $"""<path {data}d="M{N(x1)},{N(y1)} L{N(x2)},{N(y2)}" stroke="#374151" fill="none" marker-end="url(#arrow)"/>""");
                if (label is not null)
                {
                    Append(svg, $"""<text x="{N(((x1 + x2) / 2) + 4)}" y="{N(((y1 + y2) / 2) + 4)}" fill="#374151" font-size="11">{Escape(label)}</text>""");
                }
            }
            else if (layer[transition.To] == layer[transition.From] && Math.Abs(column[transition.To] - column[transition.From]) == 1)
            {
                // Next to each other in one row: straight across, between the facing sides.
                var leftward = to.X < from.X;
                var y = from.Y + (NodeHeight / 2.0);
                var x1 = leftward ? from.X : from.X + NodeWidth;
                var x2 = leftward ? to.X + NodeWidth : to.X;
                Append(svg, $"""<path {data}d="M{N(x1)},{N(y)} L{N(x2)},{N(y)}" stroke="#6b7280" stroke-dasharray="5 3" fill="none" marker-end="url(#arrow)"/>""");
                if (label is not null)
                {
                    Append(svg, $"""<text x="{N((x1 + x2) / 2)}" y="{N(y - 6)}" fill="#6b7280" font-size="11" text-anchor="middle">{Escape(label)}</text>""");
                }
            }
            else
            {
                // Going back: down into the gap below the source, right to a lane beside the drawing, up to the gap above
                // the target, across, and down into it. Every segment runs where no activity is drawn.
                var shift = backIndex % 4 * 6;
                var lane = Margin + contentWidth + 25 + (backIndex % 4 * 22);
                backIndex++;
                var (x1, y1) = (from.X + (NodeWidth / 2.0) + 12, from.Y + NodeHeight);
                var below = from.Y + NodeHeight + (RowGap / 2.0) + shift;
                var above = to.Y - (RowGap / 2.0) + 8 + shift;
                var x2 = to.X + (NodeWidth / 2.0) + 24 + shift;
                var path = $"M{N(x1)},{N(y1)} L{N(x1)},{N(below)} L{N(lane)},{N(below)} L{N(lane)},{N(above)} L{N(x2)},{N(above)} L{N(x2)},{N(to.Y)}";
                Append(svg, $"""<path {data}d="{path}" stroke="#6b7280" stroke-dasharray="5 3" fill="none" marker-end="url(#arrow)"/>""");
                if (label is not null)
                {
                    Append(svg, $"""<text x="{N(lane + 4)}" y="{N(((below + above) / 2) + 4)}" fill="#6b7280" font-size="11">{Escape(label)}</text>""");
                }
            }
        }

        foreach (var activity in definition.Activities)
        {
            var (x, y) = position[activity.Id];
            var style = Styles.TryGetValue(activity.Type, out var known) ? known : (Fill: "#ffffff", Stroke: "#111827", Zh: activity.Type, En: activity.Type);
            var kind = english ? style.En : style.Zh;
            var name = (activity.Name ?? (activity as Engine.Activities.EndActivity)?.Label)?.For(language) ?? activity.Id;
            var radius = activity.Type == "end" ? NodeHeight / 2 : 8;
            Append(svg, $"""<g class="activity" data-id="{Escape(activity.Id)}" data-type="{Escape(activity.Type)}"><title>{Escape(name)} ({Escape(activity.Id)})</title>""");
            Append(svg, $"""<rect x="{N(x)}" y="{N(y)}" width="{NodeWidth}" height="{NodeHeight}" rx="{radius}" fill="{style.Fill}" stroke="{style.Stroke}" stroke-width="{(activity.Id == definition.Start ? 2.5 : 1.5).ToString(CultureInfo.InvariantCulture)}"/>""");
            Append(svg, $"""<text x="{N(x + (NodeWidth / 2.0))}" y="{N(y + 20)}" text-anchor="middle" fill="{style.Stroke}" font-size="11">{Escape(kind)}</text>""");
            Append(svg, $"""<text x="{N(x + (NodeWidth / 2.0))}" y="{N(y + 40)}" text-anchor="middle" fill="#111827">{Escape(Shorten(name, english ? 30 : 15))}</text>""");
            svg.Append("</g>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Append(StringBuilder builder, string text) => builder.Append(text);

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
