using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowHost.Tests.Support;

/// <summary>One request to send: what it is (to reproduce it), where, and its body bytes and content type.</summary>
public sealed record HostileRequest(string Description, HttpMethod Method, string Path, byte[]? Body, string? ContentType, string? IdempotencyKey)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        if (IdempotencyKey is not null)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey);
        }

        return message;
    }
}

/// <summary>
/// Malformed and hostile requests for one endpoint: wrong types, huge and deeply nested bodies, control characters,
/// markup and SQL in text fields, unknown and foreign ids, wrong content types, invalid UTF-8, duplicated keys. Hostile
/// texts carry a marker so a page that shows one unescaped can be found.
/// </summary>
public static class HostileRequests
{
    public const string Marker = "fz7q";

    /// <summary>Texts that must come back escaped wherever they are shown.</summary>
    public static readonly string[] Texts =
    [
        $"<script>alert('{Marker}')</script>",
        $"\"><img src=x onerror=alert('{Marker}')>",
        $"<SCRIPT src=//evil.example/{Marker}.js></SCRIPT>",
        $"'; DROP TABLE \"Instances\"; -- {Marker}",
        $"1' OR '1'='1 {Marker}",
        $"{Marker}\u0000\u0001\u0007\u001b[31m\u007f",
        $"\u202e{Marker} right-to-left",
        $"{{{{7*7}}}} ${{7*7}} {Marker}",
        $"../../../../etc/passwd {Marker}",
        $"{Marker}\r\nSet-Cookie: stolen=1",
        $"%s%n%x {Marker}",
        $"javascript:alert('{Marker}')",
        $"{Marker} 🙂 長い 长",
    ];

    /// <summary>Every field name any request of the API or the forms knows, so hostile values land on real fields too.</summary>
    private static readonly string[] FieldNames =
    [
        "process", "input", "outcome", "comment", "choice", "reason", "text", "step", "voter", "attestation", "dueAt",
        "extendByWorkingDays", "userName", "password", "refreshToken", "currentPassword", "newPassword", "kind",
        "nomineeName", "nomineePost", "proposedPost", "partyMembership", "replyNeededBy", "language", "returnUrl",
        "notification", "title", "budget",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/json; charset=iso-8859-1", "application/xml", "", "application/json; charset=utf-16",
    ];

    private static readonly string[] Queries =
    [
        "page=-1", "page=0", "pageSize=100000", "pageSize=-5", "page=abc", "page=99999999999999999999", "state=<script>",
        "state=running%00", "from=9999-99-99", "to=2026-02-30", "from=2027-01-01&to=2026-01-01", "process=%27%20OR%201%3D1--",
        "unit=../../x", "lang=%3Cscript%3E", "number=2026-0001&code=AAAA-BBBB-CCCC-DDDD", "number=%00&code=" + new string('A', 5000),
        "tab=%3Cscript%3Ealert(1)%3C/script%3E", "returnUrl=//evil.example", "returnUrl=javascript:alert(1)", "submitted=maybe",
        "saved=%ff", "a=" + new string('x', 10_000),
    ];

    public static HostileRequest Next(Random random, HttpMethod method, string path, Func<string>? validBody = null)
    {
        var query = random.Next(3) == 0 ? "?" + Pick(Queries, random) : "";
        if (method == HttpMethod.Get || method == HttpMethod.Head)
        {
            return new HostileRequest($"{method} {path}{Shorten(query)}", method, path + query, null, null, null);
        }

        var key = random.Next(6) switch
        {
            0 => "key-" + random.Next(),
            1 => new string('k', 101),
            2 => "a\u0001b",
            3 => "",
            _ => null,
        };
        var (what, body, contentType) = Body(random, validBody);
        return new HostileRequest($"{method} {path}{Shorten(query)} {what} as '{contentType}'{(key is null ? "" : $" key '{Shorten(key)}'")}",
            method, path + query, body, contentType, key);
    }

    private static (string What, byte[] Body, string ContentType) Body(Random random, Func<string>? validBody)
    {
        var contentType = Pick(ContentTypes, random);
        switch (random.Next(14))
        {
            case 0:
                return ("empty body", [], contentType);
            case 1:
                return Raw(Pick(["null", "[]", "\"text\"", "42", "{", "{\"a\":", "}", "{'a':1}", "{\"a\":1,}", "\uFEFF{}", "{\"text\":\"a\" \"b\"}"], random), contentType);
            case 2:
                var depth = random.Next(2) == 0 ? random.Next(20, 80) : random.Next(1000, 50_000);
                return ($"nested {depth} deep", Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)), contentType);
            case 3:
                var size = random.Next(2) == 0 ? random.Next(200_000, 300_000) : random.Next(1_000_000, 3_000_000);
                return ($"{size} bytes", Encoding.UTF8.GetBytes($"{{\"text\":\"{new string('x', size)}\"}}"), contentType);
            case 4:
                var bytes = Encoding.UTF8.GetBytes($"{{\"text\":\"ab\",\"reason\":\"cd\",\"comment\":\"ef\"}}").ToList();
                byte[][] invalid = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x80]];
                bytes.InsertRange(random.Next(1, bytes.Count - 1), Pick(invalid, random));
                return ("invalid UTF-8", [.. bytes], contentType);
            case 5:
                var field = Pick(FieldNames, random);
                return Raw($"{{\"{field}\":\"a\",\"{field}\":{Value(random)?.ToJsonString() ?? "null"}}}", contentType);
            case 6 when validBody is not null:
                // A well-formed request with hostile text in it: some are accepted, and that text must show escaped.
                return Raw(validBody(), "application/json");
            default:
                var body = new JsonObject();
                for (var i = random.Next(0, 5); i >= 0; i--)
                {
                    body[Pick(FieldNames, random)] = Value(random);
                }

                return Raw(body.ToJsonString(), contentType);
        }
    }

    /// <summary>A value of any JSON type, often a hostile text.</summary>
    public static JsonNode? Value(Random random) => random.Next(12) switch
    {
        0 => JsonValue.Create(random.Next(2) == 0 ? -1 : int.MaxValue),
        1 => JsonValue.Create(1e308),
        2 => JsonValue.Create(true),
        3 => null,
        4 => new JsonArray(JsonValue.Create(Pick(Texts, random)), JsonValue.Create(1)),
        5 => new JsonObject { ["kind"] = Pick(Texts, random), ["x"] = new JsonObject() },
        6 => JsonValue.Create(new string('长', random.Next(1990, 2100))),
        7 => JsonValue.Create(Pick(["consent", "object", "abstain", "accept", "return", "promotion", "2026-12-31", "2026-12-01T17:30:00+08:00", "p-member-li", "p-liaison-gao", "office-check#1"], random)),
        8 => JsonValue.Create("\ud800 lone surrogate"),
        _ => JsonValue.Create(Pick(Texts, random)),
    };

    private static (string, byte[], string) Raw(string text, string contentType) => ($"body {Shorten(JsonSerializer.Serialize(text))}", Encoding.UTF8.GetBytes(text), contentType);

    public static T Pick<T>(IReadOnlyList<T> items, Random random) => items[random.Next(items.Count)];

    private static string Shorten(string text) => text.Length <= 80 ? text : $"{text[..80]}… ({text.Length} chars)";

    /// <summary>A request header value HttpClient would refuse to send must be added without validation.</summary>
    public static void AddBearer(HttpRequestMessage message, string token) =>
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
}
