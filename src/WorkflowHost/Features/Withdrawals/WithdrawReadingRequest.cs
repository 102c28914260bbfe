using FluentValidation;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.Withdrawals;

/// <summary>Why a copy is withdrawn, or a delegate's reading ended: kept in the case's journal (decision 139).</summary>
public sealed record WithdrawReadingRequest(string? Reason);

internal sealed class WithdrawReadingRequestValidator : AbstractValidator<WithdrawReadingRequest>
{
    public WithdrawReadingRequestValidator() =>
        RuleFor(r => r.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("Give a reason.").MaximumLength(WithdrawCopy.MaxReasonLength);
}
