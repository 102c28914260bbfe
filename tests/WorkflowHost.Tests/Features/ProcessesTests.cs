using System.Net;
using System.Xml.Linq;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features;

public sealed class ProcessesTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_process_has_its_fields_steps_transitions_and_a_diagram_of_every_step()
    {
        var detail = await fixture.Api.GetAsync(null, "/api/processes/promotion-consultation");
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        var activities = detail.Body["activities"]!.AsArray();
        Assert.Equal("repeat-check", detail.Body["start"]!.GetValue<string>());
        Assert.Contains(detail.Body["transitions"]!.AsArray(), t => t!["from"]!.GetValue<string>() == "amend" && t["to"]!.GetValue<string>() == "repeat-check");

        foreach (var lang in new[] { "zh-CN", "en" })
        {
            var svg = await fixture.Api.GetAsync(null, $"/api/processes/promotion-consultation/diagram.svg?lang={lang}");
            Assert.Equal(HttpStatusCode.OK, svg.Status);
            Assert.Equal("image/svg+xml", svg.Message.Content.Headers.ContentType?.MediaType);
            var document = XDocument.Parse(svg.Text);
            XNamespace ns = "http://www.w3.org/2000/svg";
            var drawn = document.Descendants(ns + "g").Where(g => (string?)g.Attribute("class") == "activity").Select(g => (string)g.Attribute("data-id")!).ToList();
            Assert.Equal(activities.Select(a => a!["id"]!.GetValue<string>()).Order(), drawn.Order());
            Assert.Equal(detail.Body["transitions"]!.AsArray().Count, document.Descendants(ns + "path").Count(p => ((string?)p.Attribute("class"))?.StartsWith("transition", StringComparison.Ordinal) == true));
            Assert.Contains(lang == "en" ? "Committee vote" : "社区党委委员表决", svg.Text, StringComparison.Ordinal);
        }
    }
}
