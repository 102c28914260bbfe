using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Results;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Inputs;

/// <summary>
/// Checks an instance's input against its definition's fields and returns it normalised
/// (text trimmed, dates as yyyy-MM-dd, identity numbers masked). Every invalid field is reported, not just the first.
/// </summary>
public static class InputValidation
{
    /// <param name="previous">The instance's stored input when an amendment is checked; its masked identity numbers cannot be checked again.</param>
    public static (JsonObject? Normalised, Refusal? Refusal) Validate(WorkflowDefinition definition, JsonObject input, RunContext context, JsonObject? previous = null)
    {
        var normalised = new JsonObject();
        var validator = new InlineValidator<JsonObject>();
        validator.RuleFor(x => x).Custom((candidate, ctx) =>
        {
            foreach (var (name, _) in candidate)
            {
                if (definition.Inputs.All(f => f.Name != name))
                {
                    ctx.AddFailure(new ValidationFailure(name, $"'{name}' is not a field of '{definition.Id}'."));
                }
            }

            foreach (var field in definition.Inputs)
            {
                var value = candidate[field.Name];
                if (value is null || (value.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetValue<string>())))
                {
                    if (field.Required)
                    {
                        ctx.AddFailure(new ValidationFailure(field.Name, $"'{field.Name}' is required."));
                    }

                    continue;
                }

                // An amendment keeps what it does not change: a stored identity number is masked and would fail its check digit,
                // and a date accepted at submission may lie in the past by now.
                if (field.Type is InputFieldType.IdNumber or InputFieldType.Date && previous?[field.Name] is { } stored && JsonNode.DeepEquals(stored, value))
                {
                    normalised[field.Name] = stored.DeepClone();
                    continue;
                }

                var (ok, result, message) = Check(field, value, context);
                if (ok)
                {
                    normalised[field.Name] = result;
                }
                else
                {
                    ctx.AddFailure(new ValidationFailure(field.Name, message));
                }
            }
        });

        var validation = validator.Validate(input);
        if (validation.IsValid)
        {
            return (normalised, null);
        }

        var errors = validation.Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        return (null, new Refusal(RefusalCode.InvalidInput, "The input is not valid for this process.", errors));
    }

    private static (bool Ok, JsonNode? Value, string Message) Check(InputField field, JsonNode value, RunContext context)
    {
        var kind = value.GetValueKind();
        switch (field.Type)
        {
            case InputFieldType.Text or InputFieldType.MultilineText:
                if (kind != JsonValueKind.String)
                {
                    return Fail($"'{field.Name}' must be text.");
                }

                var text = value.GetValue<string>().Trim();
                if (text.Length > field.EffectiveMaxLength)
                {
                    return Fail($"'{field.Name}' must be at most {field.EffectiveMaxLength} characters; it has {text.Length}.");
                }

                if (field.Type == InputFieldType.Text && text.Any(char.IsControl))
                {
                    return Fail($"'{field.Name}' must be a single line without control characters.");
                }

                return (true, text, "");

            case InputFieldType.Choice:
                if (kind != JsonValueKind.String || field.Options.All(o => o.Value != value.GetValue<string>()))
                {
                    return Fail($"'{field.Name}' must be one of: {string.Join(", ", field.Options.Select(o => o.Value))}.");
                }

                return (true, value.GetValue<string>(), "");

            case InputFieldType.Date:
                if (kind != JsonValueKind.String
                    || !DateOnly.TryParseExact(value.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return Fail($"'{field.Name}' must be a date written yyyy-MM-dd.");
                }

                if (field.NotInPast && date < context.Calendar.DateOf(context.Now))
                {
                    return Fail($"'{field.Name}' must not be in the past.");
                }

                return (true, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "");

            case InputFieldType.Integer or InputFieldType.Decimal:
                if (!EngineJson.TryGetDecimal(value, out var number))
                {
                    return Fail($"'{field.Name}' must be a number.");
                }

                if (field.Type == InputFieldType.Integer && number != decimal.Truncate(number))
                {
                    return Fail($"'{field.Name}' must be a whole number.");
                }

                if (number < field.Min || number > field.Max)
                {
                    return Fail($"'{field.Name}' must be between {field.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {field.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}.");
                }

                return (true, JsonValue.Create(number), "");

            case InputFieldType.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False
                    ? (true, value.GetValue<bool>(), "")
                    : Fail($"'{field.Name}' must be true or false.");

            case InputFieldType.IdNumber:
                if (kind != JsonValueKind.String || !IdNumber.TryMask(value.GetValue<string>(), out var masked))
                {
                    return Fail($"'{field.Name}' must be an 18-character resident identity number.");
                }

                return (true, masked, "");

            default:
                return Fail($"'{field.Name}' has an unsupported type.");
        }

        static (bool, JsonNode?, string) Fail(string message) => (false, null, message);
    }
}
