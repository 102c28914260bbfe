using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace WorkflowHost.Web;

/// <summary>
/// A POST to a page that has no handler for it (a read-only page, or <c>?handler=</c> naming none) would otherwise
/// render the page with its model never loaded, a 500. It is a 405 ProblemDetails instead.
/// </summary>
internal sealed class HandlerRequiredFilter : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null && !HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method))
        {
            context.Result = new ObjectResult(new ProblemDetails
            {
                Status = StatusCodes.Status405MethodNotAllowed,
                Title = "Method not allowed.",
                Detail = $"This page has no {context.HttpContext.Request.Method} handler{(context.HttpContext.Request.Query.ContainsKey("handler") ? " of that name" : "")}.",
            })
            {
                StatusCode = StatusCodes.Status405MethodNotAllowed,
                ContentTypes = { "application/problem+json" },
            };
        }
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
