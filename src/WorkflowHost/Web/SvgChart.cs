using System.Globalization;
using System.Net;
using System.Text;

namespace WorkflowHost.Web;

/// <summary>A horizontal bar chart drawn as inline SVG (no script, no library): one bar per row, its value written after it.</summary>
public static class SvgChart
{
    public static string Bars(IReadOnlyList<(string Label, double Value, string Text)> rows, string title)
    {
        // site.css sizes the chart (svg.chart): no style attribute, which the Content-Security-Policy would refuse.
        const int labelWidth = 160, barWidth = 220, rowHeight = 28, valueWidth = 90;
        var max = rows.Count == 0 ? 1 : Math.Max(rows.Max(r => r.Value), 1e-9);
        var height = Math.Max(rows.Count, 1) * rowHeight + 8;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {labelWidth + barWidth + valueWidth} {height}" width="100%" role="img" aria-label="{WebUtility.HtmlEncode(title)}" class="chart">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{WebUtility.HtmlEncode(title)}</title>");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value, text) = rows[i];
            var y = i * rowHeight + 4;
            var width = Math.Max(1, value / max * barWidth);
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{labelWidth - 6}" y="{y + 18}" text-anchor="end" fill="#1f2937">{WebUtility.HtmlEncode(label)}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{labelWidth}" y="{y + 4}" width="{width:0.#}" height="{rowHeight - 10}" fill="#a4161a"><title>{WebUtility.HtmlEncode(label)}: {WebUtility.HtmlEncode(text)}</title></rect>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{labelWidth + width + 6:0.#}" y="{y + 18}" fill="#1f2937">{WebUtility.HtmlEncode(text)}</text>""");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// The same bars, each a link (to the ledger, filtered to what the bar counts). Not <c>role="img"</c>: an image's
    /// content is hidden from assistive technology, and these links must be reachable. Each is named by its own visible
    /// texts, label and value (an aria-label would differ from what is seen, which speech input users cannot then say).
    /// </summary>
    public static string LinkedBars(IReadOnlyList<(string Label, double Value, string Text, string Href)> rows, string title)
    {
        const int labelWidth = 200, barWidth = 200, rowHeight = 28, valueWidth = 130;
        var max = rows.Count == 0 ? 1 : Math.Max(rows.Max(r => r.Value), 1e-9);
        var height = Math.Max(rows.Count, 1) * rowHeight + 8;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {labelWidth + barWidth + valueWidth} {height}" width="100%" aria-label="{WebUtility.HtmlEncode(title)}" class="chart">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{WebUtility.HtmlEncode(title)}</title>");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value, text, href) = rows[i];
            var y = i * rowHeight + 4;
            var width = Math.Max(1, value / max * barWidth);
            svg.Append(CultureInfo.InvariantCulture, $"""<a href="{WebUtility.HtmlEncode(href)}" data-test="figure-link" data-value="{WebUtility.HtmlEncode(text)}">""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{labelWidth - 6}" y="{y + 18}" text-anchor="end" fill="#1e40af">{WebUtility.HtmlEncode(label)}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{labelWidth}" y="{y + 4}" width="{width:0.#}" height="{rowHeight - 10}" fill="#a4161a"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{labelWidth + width + 6:0.#}" y="{y + 18}" fill="#1f2937">{WebUtility.HtmlEncode(text)}</text></a>""");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
