using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace WorkflowHost.Web;

/// <summary>Reads the answer of <see cref="Api.StepCommands"/> (an HTTP result made for the API) for a page: done, or the refusal's code and field errors.</summary>
public sealed record CommandAnswer(bool Succeeded, string Code, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The API's status for the same request (400, 403, 404, 409…), which a page answers its refusal with too.</summary>
    public int Status { get; init; } = StatusCodes.Status200OK;

    public static CommandAnswer From(IResult result)
    {
        if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
        {
            return new CommandAnswer(true, "", new Dictionary<string, string[]>());
        }

        var problem = (result as IValueHttpResult)?.Value as ProblemDetails;
        IReadOnlyDictionary<string, string[]> errors = (problem as HttpValidationProblemDetails)?.Errors.ToDictionary() ?? [];
        var code = problem?.Extensions.TryGetValue("code", out var c) == true && c is string s ? s
            : (result as IStatusCodeHttpResult)?.StatusCode switch
            {
                StatusCodes.Status403Forbidden => "forbidden",
                StatusCodes.Status404NotFound => "notFound",
                _ => "invalid",
            };
        return new CommandAnswer(false, code, errors) { Status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status400BadRequest };
    }
}
