using WorkflowHost.Persistence.InService;

namespace WorkflowHost.Features.InService;

/// <summary>A check-in just opened: the code to show at the event and the link its QR code carries.</summary>
public sealed record CheckInOpenedView(Guid Id, Guid Activity, string Title, string Code, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, string Link);

/// <summary>A member's check-in: <c>alreadyCounted</c> when they were counted before (by any means); nothing was added then.</summary>
public sealed record CheckedInView(string Title, bool AlreadyCounted);

public sealed record AttendanceRecordedView(Guid Activity, int Added);

/// <summary>The in-service part of the dashboard: registration rate per unit (where the unit gave its total) and hours per month.</summary>
public sealed record InServiceFiguresView(int Year, IReadOnlyList<UnitRegistrationRate> RegistrationRates, IReadOnlyList<decimal> HoursPerMonth);

internal static class CheckInLinks
{
    /// <summary>The member's check-in page with the code filled in: what the QR code at the event opens.</summary>
    public static string For(HttpRequest request, string code) => $"{request.Scheme}://{request.Host}/in-service/check-in?code={code}";
}
