using System.Text.Json.Nodes;
using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Features.Instances;

/// <summary>Start a process: which one, and the input its form asks for (see <c>GET /api/processes/{id}</c>).</summary>
public sealed record StartRequest(string? Process, JsonObject? Input);

/// <summary>
/// Checks the request and, already here, the input against the process's fields (the engine's own check, which needs
/// only the clock and the calendar), so one 400 names every invalid field. The engine checks again when it starts.
/// </summary>
internal sealed class StartRequestValidator : AbstractValidator<StartRequest>
{
    private static readonly ParticipantDirectory NoOne = new([]);

    public StartRequestValidator(DefinitionCatalog catalog, TimeProvider time, IWorkingCalendar calendar)
    {
        RuleFor(r => r.Process).NotEmpty().MaximumLength(64)
            .Must(id => id is null || catalog.Current(id) is not null)
            .WithMessage(_ => $"There is no published process with this id; published: {string.Join(", ", catalog.Published.Select(d => d.Id))}.");
        RuleFor(r => r.Input).NotNull().WithMessage("'input' is required: an object with the process's fields.");
        RuleFor(r => r).Custom((request, context) =>
        {
            if (request.Input is null || request.Process is null || catalog.Current(request.Process) is not { } definition)
            {
                return;
            }

            var (_, refusal) = InputValidation.Validate(definition, request.Input, new RunContext(time.GetUtcNow(), NoOne, calendar));
            foreach (var (field, messages) in refusal?.FieldErrors ?? new Dictionary<string, string[]>())
            {
                // Files are checked against the caller's uploads, which only the step reads (WorkflowCommands). A person
                // or unit field can only be checked against the community's directory, which this pre-check does not
                // have (it would refuse every value): the engine checks those fields when it starts.
                if (FieldKeys.IsFile(definition.Inputs, field) || FieldKeys.ReadsDirectory(definition.Inputs, field))
                {
                    continue;
                }

                foreach (var message in messages)
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure("input." + field, message));
                }
            }
        });
    }
}

internal static class StartInstance
{
    public static async Task<IResult> HandleAsync(Body<StartRequest> body, Caller caller, HttpContext http, WorkflowCommands commands)
    {
        var (key, keyError) = Idempotency.Read(http, caller);
        if (keyError is not null)
        {
            return Problems.Field(Idempotency.Header, keyError);
        }

        var request = body.Value;
        var result = await commands.StartAsync(new StartCommand(request.Process!, caller.CommunityId, caller.PersonId, request.Input!, key), http.RequestAborted);
        if (!result.Succeeded)
        {
            return Problems.From(result, optionField: "input", inputPrefix: "input.");
        }

        Idempotency.MarkReplay(http, result.Replayed);
        var response = CommandResponse.From(result);
        return Results.Created(response.Instance, response);
    }
}
