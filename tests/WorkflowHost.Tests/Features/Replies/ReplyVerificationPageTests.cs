using System.Net;
using WorkflowHost.Features.Replies;
using WorkflowHost.Tests.Features.Ledger;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Replies;

/// <summary>
/// Public verification of a reply: the API and the page at /replies/verify (no sign-in) show the number, date, unit, kind
/// of matter, the decision and the nominee's name masked; the printed reply carries a QR code of that page's link.
/// </summary>
public sealed class ReplyVerificationPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Anyone_with_the_number_and_code_sees_what_HR_needs_and_the_name_only_masked()
    {
        var (_, number, code) = await LedgerScenario.RepliedAsync(fixture.Api, "周立新", "award");

        var api = await fixture.Api.GetAsync(null, $"/api/replies/verify?number={Uri.EscapeDataString(number)}&code={Uri.EscapeDataString(code)}");
        Assert.Equal(HttpStatusCode.OK, api.Status);
        Assert.Equal("周**", api.Body["nominee"]!.GetValue<string>());
        Assert.Equal("评先评优", api.Body["matter"]!["zh-CN"]!.GetValue<string>());
        Assert.Equal("滨江区住房和城乡建设局", api.Body["unit"]!["zh-CN"]!.GetValue<string>());
        Assert.Equal("consent", api.Body["outcome"]!.GetValue<string>());

        using var client = fixture.Factory.CreateClient();
        using var page = await client.GetAsync($"/replies/verify?number={Uri.EscapeDataString(number)}&code={Uri.EscapeDataString(code)}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-test=\"reply-verified\"", html, StringComparison.Ordinal);
        Assert.Contains("周**", html, StringComparison.Ordinal);
        Assert.DoesNotContain("周立新", html, StringComparison.Ordinal);
        Assert.Contains("评先评优", html, StringComparison.Ordinal);
        Assert.Contains("滨江区住房和城乡建设局", html, StringComparison.Ordinal);
        Assert.Contains("同意", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_code_and_missing_fields_are_refused_without_saying_which_numbers_exist()
    {
        using var client = fixture.Factory.CreateClient();
        using var wrong = await client.GetAsync("/replies/verify?number=2026-0001&code=AAAA-BBBB-CCCC-DDDD");
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Contains("data-test=\"reply-not-found\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var missing = await client.GetAsync("/replies/verify?number=&code=");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using var form = await client.GetAsync("/replies/verify");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
    }

    [Fact]
    public async Task The_printed_reply_carries_a_QR_code_of_its_verification_link_as_inline_svg()
    {
        var (id, number, _) = await LedgerScenario.RepliedAsync(fixture.Api, "钱多多", "promotion");
        using var browser = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);
        using var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/instances/{id}/reply"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-test=\"reply-qr\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=", html, StringComparison.Ordinal);
        Assert.Contains($"/replies/verify?number={Uri.EscapeDataString(number)}", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("周立新", "周**")]
    [InlineData("Zhou", "Z***")]
    [InlineData("王", "*")]
    public void Names_are_masked_after_their_first_character(string name, string masked) => Assert.Equal(masked, ReplyVerifier.Mask(name));
}
