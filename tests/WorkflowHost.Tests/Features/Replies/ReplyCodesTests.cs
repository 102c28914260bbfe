using WorkflowHost.Features.Replies;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Tests.Features.Replies;

/// <summary>Codes are printed on paper and never stored, so the way they are made must not change under a refactoring.</summary>
public sealed class ReplyCodesTests
{
    private static readonly DocumentCodes Codes = new([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    private static readonly IssuedNumber Reply = new()
    {
        CommunityId = "binhe", Series = "reply", Number = "2026-0001", Year = 2026,
        InstanceId = Guid.Parse("11111111-2222-3333-4444-555555555555"), ActivityId = "issue-reply",
        IssuedAt = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero),
    };

    [Fact]
    public void A_reply_code_printed_before_the_codes_were_unified_still_verifies()
    {
        // Computed independently (HMAC-SHA256 of "reply-v1\n" + the register row, first 80 bits, base 32 without I L O U).
        Assert.Equal("B891-2FJS-GGNC-FAA6", new ReplyCodes(Codes).CodeFor(Reply));
        Assert.True(new ReplyCodes(Codes).Matches(Reply, "b8912fjs ggnc faa6"));
    }

    [Fact]
    public void A_reply_code_does_not_verify_another_number_or_a_document_with_the_same_content()
    {
        var codes = new ReplyCodes(Codes);
        var code = codes.CodeFor(Reply);
        var other = new IssuedNumber
        {
            CommunityId = Reply.CommunityId, Series = Reply.Series, Number = "2026-0002", Year = Reply.Year,
            InstanceId = Reply.InstanceId, ActivityId = Reply.ActivityId, IssuedAt = Reply.IssuedAt,
        };

        Assert.False(codes.Matches(other, code));
        Assert.NotEqual(code, Codes.CodeFor("binhe\nreply\n2026-0001"));
    }
}
