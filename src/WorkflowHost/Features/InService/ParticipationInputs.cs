using FluentValidation;
using WorkflowHost.Persistence.InService;

namespace WorkflowHost.Features.InService;

/// <summary>The office's attendance for one activity: person ids present, and those of them who came as pledged volunteers.</summary>
public sealed record AttendanceRequest(IReadOnlyList<string>? Present, IReadOnlyList<string>? Volunteers)
{
    public AttendanceInput ToInput() => new(Present ?? [], Volunteers ?? []);
}

/// <summary>Opens a check-in for <c>minutes</c> from <c>opensAt</c> (now when left out).</summary>
public sealed record OpenCheckInRequest(int? Minutes, DateTimeOffset? OpensAt);

/// <summary>A member's check-in with the code shown at the event.</summary>
public sealed record CheckInRequest(string? Code);

internal sealed class AttendanceRules : AbstractValidator<AttendanceRequest>
{
    public AttendanceRules()
    {
        RuleFor(r => r).Must(r => (r.Present?.Count ?? 0) + (r.Volunteers?.Count ?? 0) > 0)
            .WithName("present").WithMessage("Name at least one member present.");
        RuleFor(r => r.Present).Must(p => p is null || p.Count <= 500).WithMessage("At most 500 members at once.");
        RuleFor(r => r.Volunteers).Must(p => p is null || p.Count <= 500).WithMessage("At most 500 members at once.");
        RuleForEach(r => r.Present).NotEmpty().MaximumLength(64);
        RuleForEach(r => r.Volunteers).NotEmpty().MaximumLength(64);
    }
}

internal sealed class OpenCheckInRules : AbstractValidator<OpenCheckInRequest>
{
    public OpenCheckInRules()
    {
        RuleFor(r => r.Minutes).NotNull().InclusiveBetween(5, (int)ParticipationLog.LongestWindow.TotalMinutes)
            .WithMessage($"'minutes' must be between 5 and {(int)ParticipationLog.LongestWindow.TotalMinutes}.");
    }
}

internal sealed class CheckInRules : AbstractValidator<CheckInRequest>
{
    public CheckInRules()
    {
        // Six digits, as shown at the event; spaces around them are forgiven (a phone keyboard adds them).
        RuleFor(r => r.Code).NotEmpty().Must(c => c is not null && c.Trim().Length == 6 && c.Trim().All(char.IsAsciiDigit))
            .WithMessage("The check-in code is the six digits shown at the event.");
    }
}
