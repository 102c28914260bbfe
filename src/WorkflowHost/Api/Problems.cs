using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Api;

/// <summary>
/// How the API says no. Every error is a ProblemDetails (RFC 9457); a refusal of the engine keeps its code in
/// <c>code</c> so clients can branch on it without parsing text.
/// </summary>
internal static class Problems
{
    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors, string? detail = null) =>
        Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value), detail: detail ?? "One or more fields are invalid.",
            title: "The request is not valid.", extensions: new Dictionary<string, object?> { ["code"] = "invalidInput" });

    public static IResult Field(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = "notFound" });

    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = "notAllowed" });

    public static IResult Conflict(string code, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The request conflicts with the current state.", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>
    /// The engine's refusal as HTTP: bad input 400 with the fields, unknown step 404, a step or instance that moved on
    /// (closed, ended, already voted, recused) 409 with the reason, not permitted 403.
    /// <paramref name="optionField"/> names the request field an unknown outcome or option came from.
    /// </summary>
    public static IResult From(CommandResult result, string optionField = "choice", string inputPrefix = "")
    {
        var message = result.Message ?? "Refused.";
        return result.Refusal switch
        {
            RefusalCode.InvalidInput => Validation(
                result.Errors?.ToDictionary(e => inputPrefix + e.Key, e => e.Value) ?? new Dictionary<string, string[]> { [inputPrefix.TrimEnd('.') is { Length: > 0 } p ? p : "body"] = [message] },
                message),
            RefusalCode.UnknownOption => Validation(new Dictionary<string, string[]> { [optionField] = [message] }, message),
            RefusalCode.NotFound => NotFound(message),
            RefusalCode.NotAllowed => Forbidden(message),
            RefusalCode.Closed => Conflict("closed", message),
            RefusalCode.InstanceEnded => Conflict("instanceEnded", message),
            RefusalCode.AlreadyVoted => Conflict("alreadyVoted", message),
            RefusalCode.Recused => Conflict("recused", message),
            RefusalCode.NotOverdue => Conflict("notOverdue", message),
            RefusalCode.AlreadyUrged => Conflict("alreadyUrged", message),
            RefusalCode.AlreadyClaimed => Conflict("alreadyClaimed", message),
            RefusalCode.NotHolder => Conflict("notHolder", message),
            RefusalCode.Delegated => Conflict("delegated", message),
            RefusalCode.OpinionGiven => Conflict("opinionGiven", message),
            RefusalCode.AwaitingOpinions => Conflict("awaitingOpinions", message),
            RefusalCode.AlreadyCopied => Conflict("alreadyCopied", message),
            RefusalCode.AlreadyWithdrawn => Conflict("alreadyWithdrawn", message),
            _ => Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: message),
        };
    }
}
