using System.Globalization;
using WorkflowHost.Api;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Features.InService;

/// <summary>
/// The dashboard's in-service figures as linked bars: each unit's registration rate (only units that gave their total) links
/// to the roster of that unit; each month's confirmed hours links to the roster of members who served that month.
/// </summary>
public sealed class InServiceDashboard(InServiceFigures figures, InServiceRecords records)
{
    public sealed record Charts(IReadOnlyList<Figure> Rates, IReadOnlyList<Figure> HoursPerMonth);

    public async Task<Charts?> ReadAsync(Caller caller, Texts t, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(caller))
        {
            return null;
        }

        var rates = await figures.RegistrationRatesAsync(caller.CommunityId, cancellationToken);
        var year = records.Today.Year;
        var minutes = await records.MinutesPerMonthAsync(caller.CommunityId, year, cancellationToken);
        return new Charts(
            [.. rates.Select(r => new Figure(t.En ? r.UnitNameEn : r.UnitNameZh, r.Rate * 100,
                t.RegistrationRateOf(r.Registered, r.Total, r.Rate), $"/in-service/office?unit={Uri.EscapeDataString(r.UnitId)}"))],
            [.. minutes.Select((m, i) =>
            {
                var month = new DateOnly(year, i + 1, 1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
                return new Figure(month, m / 60.0, t.Hours(m / 60m), $"/in-service/office?month={month}");
            })]);
    }
}
