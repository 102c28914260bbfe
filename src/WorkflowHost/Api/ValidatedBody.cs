using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace WorkflowHost.Api;

/// <summary>A request body that failed to bind or validate: every invalid field, by its JSON name.</summary>
internal interface IValidatedBody
{
    IReadOnlyDictionary<string, string[]>? Errors { get; }

    int ErrorStatus { get; }
}

/// <summary>
/// A JSON request body read so that every problem is reported at once, never a 500 and never only the first: the body
/// must be a JSON object; each property is checked against its declared type on its own (so a wrong type in one field
/// does not hide the others); unknown properties are named; then the request's FluentValidation validator runs.
/// The <see cref="ValidationFilter"/> turns a failed body into a 400 ProblemDetails before the handler runs.
/// </summary>
internal sealed class Body<T> : IValidatedBody
    where T : class
{
    /// <summary>Requests are small forms; anything larger is refused before it is parsed.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Nesting deeper than a form needs is refused, and so is a key written twice (which of the two was meant?).</summary>
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    public const int MaxDepth = 32;

    private Body(T? value, IReadOnlyDictionary<string, string[]>? errors, int errorStatus = StatusCodes.Status400BadRequest)
    {
        Value = value!;
        Errors = errors;
        ErrorStatus = errorStatus;
    }

    public T Value { get; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    public int ErrorStatus { get; }

    public static async ValueTask<Body<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        _ = parameter;
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var request = context.Request;
        if (request.ContentLength is > 0 && !request.HasJsonContentType())
        {
            return Fail("body", "The body must be JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength is > MaxBytes)
        {
            return Fail("body", $"The body must be at most {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        var buffer = await ReadLimitedAsync(request, context.RequestAborted);
        try
        {
            if (buffer.Length > MaxBytes)
            {
                return Fail("body", $"The body must be at most {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            // The parser checks UTF-8 only when a string is read, which here is after binding began: check it first.
            if (!System.Text.Unicode.Utf8.IsValid(buffer.Span))
            {
                return Fail("body", "The body is not valid UTF-8.");
            }

            // Most bodies are well formed: read them straight into the request type under the same rules the field-by-field
            // reading below enforces (no unknown or repeated field, the same depth), and validate. Only a body that does not
            // read goes the long way, which names every wrong field at once (issue 18: the long way was a vote's largest
            // allocation).
            if (buffer.Length > 0 && TryReadWhole(buffer.Memory, options) is { } whole)
            {
                return await ValidatedAsync(context, whole, new Dictionary<string, List<string>>(StringComparer.Ordinal));
            }

            return await ReadFieldByFieldAsync(context, buffer.Memory, options);
        }
        finally
        {
            buffer.Return();
        }
    }

    private static async ValueTask<Body<T>> ReadFieldByFieldAsync(HttpContext context, ReadOnlyMemory<byte> bytes, JsonSerializerOptions options)
    {
        JsonNode? node;
        try
        {
            node = bytes.Length == 0 ? new JsonObject() : JsonNode.Parse(bytes.Span, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            return Fail("body", $"The body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}): {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}");
        }

        if (node is not JsonObject json)
        {
            return Fail("body", "The body must be a JSON object.");
        }

        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var typeInfo = options.GetTypeInfo(typeof(T));
        var known = typeInfo.Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var wellTyped = new JsonObject();
        foreach (var (name, field) in json)
        {
            if (!known.TryGetValue(name, out var property))
            {
                Add(errors, name, $"'{name}' is not a field of this request; expected: {string.Join(", ", known.Keys)}.");
                continue;
            }

            try
            {
                _ = field?.Deserialize(property.PropertyType, options);
                wellTyped[property.Name] = field?.DeepClone();
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NotSupportedException)
            {
                Add(errors, property.Name, $"'{property.Name}' must be {Describe(property.PropertyType)}.");
            }
        }

        // The well-typed fields are validated even when others are wrong, so one answer names every invalid field.
        T? value = null;
        try
        {
            value = wellTyped.Deserialize<T>(options);
        }
        catch (JsonException e)
        {
            Add(errors, TrimPath(e.Path), e.Message.Split(" Path:")[0]);
        }

        return await ValidatedAsync(context, value, errors);
    }

    /// <summary>The request's FluentValidation validator on a value that read; a field already wrong keeps its first message.</summary>
    private static async ValueTask<Body<T>> ValidatedAsync(HttpContext context, T? value, Dictionary<string, List<string>> errors)
    {
        if (value is not null && context.RequestServices.GetService<IValidator<T>>() is { } validator)
        {
            var result = await validator.ValidateAsync(value, context.RequestAborted);
            foreach (var failure in result.Errors)
            {
                var name = JsonName(failure.PropertyName);
                if (!errors.ContainsKey(name.Split('.')[0]))
                {
                    Add(errors, name, failure.ErrorMessage);
                }
            }
        }

        return errors.Count > 0 ? new Body<T>(null, Frozen(errors)) : new Body<T>(value, null);
    }

    private static Dictionary<string, string[]> Frozen(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// The whole body as the request type, or null when it does not read that way under the strict options. The document
    /// is checked first for keys written twice and for depth at every level: the serializer reads a <see cref="JsonObject"/>
    /// field (a process's input) without looking inside it, and a repeated key there would only fail later, as a 500.
    /// </summary>
    private static T? TryReadWhole(ReadOnlyMemory<byte> bytes, JsonSerializerOptions options)
    {
        try
        {
            using (JsonDocument.Parse(bytes, DocumentOptions))
            {
            }

            return JsonSerializer.Deserialize<T>(bytes.Span, StrictOptions.For(options));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return null;
        }
    }

    private static Body<T> Fail(string field, string message, int status = StatusCodes.Status400BadRequest) =>
        new(null, new Dictionary<string, string[]> { [field] = [message] }, status);

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>
    /// The body into a pooled array, stopping one byte past <see cref="MaxBytes"/> (enough to know it is too large). A vote's
    /// body is a few dozen bytes: a new 16 KB chunk and a growing stream per request were a vote's largest allocation.
    /// </summary>
    private static async Task<PooledBytes> ReadLimitedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new PooledBytes(request.ContentLength is { } length and <= MaxBytes ? (int)length + 1 : 4096);
        int read;
        while ((read = await request.Body.ReadAsync(buffer.Free, cancellationToken)) > 0)
        {
            buffer.Advance(read);
            if (buffer.Length > MaxBytes)
            {
                break;
            }
        }

        return buffer;
    }

    /// <summary>FluentValidation names properties as in C# (<c>NewDueAt</c>, <c>Input.Kind</c>); the contract is camelCase JSON.</summary>
    internal static string JsonName(string propertyPath) =>
        propertyPath.Length == 0 ? "body" : char.ToLowerInvariant(propertyPath[0]) + propertyPath[1..];

    private static string TrimPath(string? path) => string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    private static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) ? "text"
            : t == typeof(int) || t == typeof(long) ? "a whole number"
            : t == typeof(decimal) || t == typeof(double) ? "a number"
            : t == typeof(bool) ? "true or false"
            : t == typeof(DateTimeOffset) ? "a date and time with offset, such as 2026-12-01T17:30:00+08:00"
            : t == typeof(DateOnly) ? "a date written yyyy-MM-dd"
            : typeof(JsonObject).IsAssignableFrom(t) ? "a JSON object"
            : $"a {t.Name}";
    }
}

/// <summary>Answers 400 (or 413/415) with every invalid field before the handler runs when a <see cref="Body{T}"/> did not validate.</summary>
/// <remarks>
/// Nothing here waits: a valid request is handed on as the next filter's own task, without an awaiting frame (an
/// allocation of every request, decision 177); the arguments are walked by index, without an enumerator.
/// </remarks>
internal sealed class ValidationFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var arguments = context.Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is IValidatedBody { Errors: { } errors } body)
            {
                return ValueTask.FromResult<object?>(body.ErrorStatus == StatusCodes.Status400BadRequest
                    ? Problems.Validation(errors)
                    : Results.Problem(statusCode: body.ErrorStatus, detail: errors.Values.First()[0]));
            }
        }

        return next(context);
    }
}
