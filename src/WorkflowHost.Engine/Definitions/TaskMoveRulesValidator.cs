using FluentValidation;
using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Engine.Definitions;

/// <summary>A task's <c>moves</c>: a claim timeout is a duration, and only means something when the task can be claimed.</summary>
internal sealed class TaskMoveRulesValidator : AbstractValidator<TaskMoveRules>
{
    public TaskMoveRulesValidator()
    {
        RuleFor(m => m.ClaimTimeout!).SetValidator(new DurationValidator()).When(m => m.ClaimTimeout is not null);
        RuleFor(m => m.ClaimTimeout).Null().When(m => !m.Claim)
            .WithMessage("'claimTimeout' offers a claimed task back: it needs 'claim' allowed");
        RuleFor(m => m.AddSigners!.From).SetValidator(new SelectorValidator()).When(m => m.AddSigners is not null);
        RuleFor(m => m.AddSigners!.Due).SetValidator(new DurationValidator()).When(m => m.AddSigners is not null);
    }
}
