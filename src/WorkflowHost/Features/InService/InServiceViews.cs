using WorkflowHost.Features.Ledger;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Features.InService;

public sealed record OfferView(Guid Id, string Kind, string? Category, string Title, string? Description, int Places, int PlacesLeft, DateOnly DueOn)
{
    public static OfferView Of(OfferRow row) =>
        new(row.Offer.Id, row.Offer.Kind, row.Offer.Category, row.Offer.Title, row.Offer.Description, row.Offer.Places, row.PlacesLeft, row.Offer.DueOn);
}

public sealed record ClaimView(Guid Id, string Status);

public sealed record RegistrationView(string UnitId, DateOnly RegisteredOn, string? Branch, string? Residence, string? PreferredPosts);

public sealed record EndedRegistrationView(string UnitId, DateOnly RegisteredOn, DateOnly EndedOn);

/// <summary>A member's own record. <c>registration</c> is null when they are not registered (then nothing else counts yet).</summary>
public sealed record MemberRecordView(
    string PersonId, RegistrationView? Registration, IReadOnlyList<EndedRegistrationView> Ended,
    decimal HoursThisYear, decimal HoursLastYear, int Participations, IReadOnlyList<ServedClaim> Claims, IReadOnlyList<AttendedActivity> Activities)
{
    public static MemberRecordView Of(MemberRecord record) => new(
        record.PersonId,
        record.Registration is { } r ? new RegistrationView(r.UnitId, r.RegisteredOn, r.Branch, r.ResidenceZh, r.PreferredPosts) : null,
        [.. record.Ended.Select(e => new EndedRegistrationView(e.UnitId, e.RegisteredOn, e.EndedOn))],
        record.Hours.HoursThisYear, record.Hours.HoursLastYear, record.Participations, record.Claims, record.Activities);
}

/// <summary>The roster as a spreadsheet table, headers in the reader's language.</summary>
internal static class RosterExport
{
    public static ExportTable Table(IReadOnlyList<RosterRow> rows, Texts t) => new(
        t.InServiceRoster,
        [t.InServiceName, t.Unit, t.PartyBranch, t.InServicePhone, t.RegisteredOnColumn, t.PreferredPosts, t.HoursThisYear, t.ActivitiesThisYearColumn],
        [.. rows.Select(r => (IReadOnlyList<string>)[
            r.NameZh, r.UnitNameZh, r.Branch ?? "", r.Phone ?? "", r.RegisteredOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            string.Join("、", (r.PreferredPosts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t.ServiceCategoryName)),
            t.Hours(r.MinutesThisYear / 60m), r.ActivitiesThisYear.ToString(System.Globalization.CultureInfo.InvariantCulture)])]);
}
