using FluentValidation;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Time;

// MERGE NOTE: these records and validators are copies of the ones the `timers` branch defines in Activities/Deadlines.cs
// and Definitions/ActivityValidators.cs (same names, members and defaults), so that `remind` / `escalate` are written the
// same way on every step. When `timers` is merged, delete this file; the per-item tasks (ItemDeadlines.cs) compile
// against the timers branch's types unchanged.
namespace WorkflowHost.Engine.Activities
{
    /// <summary>A reminder to everyone who has not acted yet, <see cref="Before"/> the deadline.</summary>
    public sealed record ReminderStep
    {
        public required DurationSpec Before { get; init; }

        /// <summary>The message key the host renders in the recipient's language.</summary>
        public string Template { get; init; } = DeadlineTemplates.Reminder;
    }

    /// <summary>
    /// An alert to <see cref="Notify"/> when the step is overdue: at the deadline (<c>"at": "deadline"</c>) or
    /// <see cref="After"/> it. Sent only while the step is still open.
    /// </summary>
    public sealed record EscalationStep
    {
        public const string AtDeadline = "deadline";

        public string? At { get; init; }

        public DurationSpec? After { get; init; }

        public required ParticipantSelector Notify { get; init; }

        public string Template { get; init; } = DeadlineTemplates.Escalation;
    }

    public static class DeadlineTemplates
    {
        public const string Reminder = "reminder";
        public const string Escalation = "escalation";
        public const string Extended = "deadline-extended";
    }
}

namespace WorkflowHost.Engine.Definitions
{
    using WorkflowHost.Engine.Activities;

    internal sealed class ReminderStepValidator : AbstractValidator<ReminderStep>
    {
        public ReminderStepValidator()
        {
            RuleFor(r => r.Before).SetValidator(new DurationValidator());
            RuleFor(r => r.Template).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
        }
    }

    internal sealed class EscalationStepValidator : AbstractValidator<EscalationStep>
    {
        public EscalationStepValidator()
        {
            RuleFor(e => e).Must(e => (e.At is null) != (e.After is null)).OverridePropertyName("")
                .WithMessage("an escalation is either \"at\": \"deadline\" or \"after\" a duration");
            RuleFor(e => e.At).Equal(EscalationStep.AtDeadline).When(e => e.At is not null)
                .WithMessage("\"at\" can only be \"deadline\"");
            RuleFor(e => e.After!).SetValidator(new DurationValidator()).When(e => e.After is not null);
            RuleFor(e => e.Notify).SetValidator(new SelectorValidator());
            RuleFor(e => e.Template).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
        }
    }
}
