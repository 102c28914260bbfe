namespace WorkflowHost.Features;

internal static class StepProblemsConventions
{
    /// <summary>
    /// The answers every step command (complete, vote, recuse, contribute, …) can give besides success, for the OpenAPI
    /// document: 400 invalid input, 403 not allowed, 404 no such instance or step, 409 the step moved on.
    /// </summary>
    public static RouteHandlerBuilder ProducesStepProblems(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict);
}
