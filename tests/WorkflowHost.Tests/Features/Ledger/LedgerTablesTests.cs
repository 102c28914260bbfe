using WorkflowHost.Features.Ledger;
using WorkflowHost.Web;

namespace WorkflowHost.Tests.Features.Ledger;

/// <summary>
/// The ledger's numbers column holds every number a case issued: a consultation's reply numbers and the in-service
/// review's feedback letters (FK-yyyy-nnn). Its heading says so in both languages rather than calling them all replies.
/// </summary>
public sealed class LedgerTablesTests
{
    private static readonly LedgerRow Review = new(
        Guid.Parse("00000000-0000-0000-0000-000000000001"), "in-service-annual-review", null, "年度反馈", null, null, "c-1", null, null,
        "completed", null, DateTimeOffset.Parse("2026-12-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture), null,
        ["2026-0007", "FK-2026-001"], [], false, "/instances/1");

    [Theory]
    [InlineData("zh-CN", "发文编号")]
    [InlineData("en", "Documents issued")]
    public void The_numbers_column_is_headed_as_documents_issued_and_lists_replies_and_letters(string language, string heading)
    {
        var table = LedgerTables.Cases([Review], new Texts(language), TimeZoneInfo.Utc, _ => null);

        var column = table.Headers.ToList().IndexOf(heading);
        Assert.True(column >= 0, $"no column '{heading}' in {string.Join(", ", table.Headers)}");
        Assert.Equal("2026-0007; FK-2026-001", table.Rows.Single()[column]);
        Assert.DoesNotContain(table.Headers, h => h is "回执编号" or "Reply numbers");
    }
}
