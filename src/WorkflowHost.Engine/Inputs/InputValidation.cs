using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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
    public static (JsonObject? Normalised, Refusal? Refusal) Validate(WorkflowDefinition definition, JsonObject input, RunContext context, JsonObject? previous = null) =>
        ValidateFields(definition.Inputs, input, context, definition.Id, "The input is not valid for this process.", previous);

    /// <summary>
    /// Checks <paramref name="input"/> against any list of fields (a start form, a task's form, a collection's items).
    /// Errors are keyed by field name; an item of a list field by <c>name[i].field</c>.
    /// </summary>
    public static (JsonObject? Normalised, Refusal? Refusal) ValidateFields(
        IReadOnlyList<InputField> fields, JsonObject input, RunContext context, string owner, string message, JsonObject? previous = null)
    {
        var errors = new List<(string Key, string Message)>();
        var normalised = CheckObject(fields, input, context, owner, previous, prefix: "", errors);
        if (errors.Count == 0)
        {
            return (normalised, null);
        }

        var grouped = errors
            .GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return (null, new Refusal(RefusalCode.InvalidInput, message, grouped));
    }

    private static JsonObject CheckObject(
        IReadOnlyList<InputField> fields, JsonObject candidate, RunContext context, string owner, JsonObject? previous, string prefix, List<(string, string)> errors)
    {
        var normalised = new JsonObject();
        foreach (var (name, _) in candidate)
        {
            if (fields.All(f => f.Name != name))
            {
                errors.Add((prefix + name, $"'{prefix}{name}' is not a field of '{owner}'."));
            }
        }

        foreach (var field in fields)
        {
            var key = prefix + field.Name;
            var value = candidate[field.Name];
            if (value is null || (value.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetValue<string>())))
            {
                if (field.Required)
                {
                    errors.Add((key, $"'{key}' is required."));
                }
                else if (field.RequiredIf is { } condition && condition.Holds(candidate))
                {
                    errors.Add((key, $"'{key}' is required when '{prefix}{condition.Field}' is '{condition.EqualTo}'."));
                }

                continue;
            }

            // An amendment keeps what it does not change: a stored identity number is masked and would fail its check digit,
            // a date accepted at submission may lie in the past by now, and files already on the case are not the
            // caller's fresh uploads any more.
            if (field.Type is InputFieldType.IdNumber or InputFieldType.Date or InputFieldType.File
                && previous?[field.Name] is { } stored && JsonNode.DeepEquals(stored, value))
            {
                normalised[field.Name] = stored.DeepClone();
                continue;
            }

            if (field.Type == InputFieldType.File)
            {
                if (FileValues.Check(field, key, value, context, errors) is { } files)
                {
                    normalised[field.Name] = files;
                }

                continue;
            }

            if (field.Type == InputFieldType.List)
            {
                if (CheckList(field, value, context, owner, key, errors) is { } list)
                {
                    normalised[field.Name] = list;
                }

                continue;
            }

            var (ok, result, problem) = Check(field, key, value, context);
            if (ok)
            {
                normalised[field.Name] = result;
            }
            else
            {
                errors.Add((key, problem));
            }
        }

        return normalised;
    }

    private static JsonArray? CheckList(InputField field, JsonNode value, RunContext context, string owner, string key, List<(string, string)> errors)
    {
        if (value is not JsonArray array)
        {
            errors.Add((key, $"'{key}' must be a list."));
            return null;
        }

        if (field.Required && array.Count == 0)
        {
            errors.Add((key, $"'{key}' needs at least one item."));
            return null;
        }

        if (array.Count > field.EffectiveMaxItems)
        {
            errors.Add((key, $"'{key}' must have at most {field.EffectiveMaxItems} items; it has {array.Count}."));
            return null;
        }

        var result = new JsonArray();
        for (var i = 0; i < array.Count; i++)
        {
            var itemKey = $"{key}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (array[i] is not JsonObject item)
            {
                errors.Add((itemKey, $"'{itemKey}' must be an object."));
                continue;
            }

            result.Add(CheckObject(field.Items ?? [], item, context, owner, previous: null, prefix: itemKey + ".", errors));
        }

        return result;
    }

    private static (bool Ok, JsonNode? Value, string Message) Check(InputField field, string name, JsonNode value, RunContext context)
    {
        var kind = value.GetValueKind();
        switch (field.Type)
        {
            case InputFieldType.Text or InputFieldType.MultilineText:
                if (kind != JsonValueKind.String)
                {
                    return Fail($"'{name}' must be text.");
                }

                var text = value.GetValue<string>().Trim();
                if (text.Length > field.EffectiveMaxLength)
                {
                    return Fail($"'{name}' must be at most {field.EffectiveMaxLength} characters; it has {text.Length}.");
                }

                if (field.Type == InputFieldType.Text && text.Any(char.IsControl))
                {
                    return Fail($"'{name}' must be a single line without control characters.");
                }

                return (true, text, "");

            case InputFieldType.Choice:
                if (kind != JsonValueKind.String || field.Options.All(o => o.Value != value.GetValue<string>()))
                {
                    return Fail($"'{name}' must be one of: {string.Join(", ", field.Options.Select(o => o.Value))}.");
                }

                return (true, value.GetValue<string>(), "");

            case InputFieldType.Date:
                if (kind != JsonValueKind.String
                    || !DateOnly.TryParseExact(value.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return Fail($"'{name}' must be a date written yyyy-MM-dd.");
                }

                if (field.NotInPast && date < context.Calendar.DateOf(context.Now))
                {
                    return Fail($"'{name}' must not be in the past.");
                }

                return (true, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "");

            case InputFieldType.Time:
                if (kind != JsonValueKind.String
                    || !TimeOnly.TryParseExact(value.GetValue<string>(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
                {
                    return Fail($"'{name}' must be a time written HH:mm (24-hour).");
                }

                return (true, time.ToString("HH:mm", CultureInfo.InvariantCulture), "");

            case InputFieldType.Person:
                var person = kind == JsonValueKind.String ? context.Directory.Find(value.GetValue<string>().Trim()) : null;
                if (person is null)
                {
                    return Fail($"'{name}' must be a person of this community.");
                }

                if (field.Role is not null && !person.HasRole(field.Role))
                {
                    return Fail($"'{name}' must be a person holding the role '{field.Role}'.");
                }

                return (true, person.Id, "");

            case InputFieldType.Unit:
                var unit = kind == JsonValueKind.String ? value.GetValue<string>().Trim() : "";
                if (unit.Length == 0 || context.Directory.LiaisonsOf(unit).Count == 0)
                {
                    return Fail($"'{name}' must be a resident unit of this community.");
                }

                return (true, unit, "");

            case InputFieldType.Integer or InputFieldType.Decimal:
                if (!EngineJson.TryGetDecimal(value, out var number))
                {
                    return Fail($"'{name}' must be a number.");
                }

                if (field.Type == InputFieldType.Integer && number != decimal.Truncate(number))
                {
                    return Fail($"'{name}' must be a whole number.");
                }

                if (number < field.Min || number > field.Max)
                {
                    return Fail($"'{name}' must be between {field.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {field.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}.");
                }

                return (true, JsonValue.Create(number), "");

            case InputFieldType.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False
                    ? (true, value.GetValue<bool>(), "")
                    : Fail($"'{name}' must be true or false.");

            case InputFieldType.IdNumber:
                if (kind != JsonValueKind.String || !IdNumber.TryMask(value.GetValue<string>(), out var masked))
                {
                    return Fail($"'{name}' must be an 18-character resident identity number.");
                }

                return (true, masked, "");

            default:
                return Fail($"'{name}' has an unsupported type.");
        }

        static (bool, JsonNode?, string) Fail(string message) => (false, null, message);
    }
}
