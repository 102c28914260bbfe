using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Features.Attachments;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// Uploads in the fuzzer: random sizes, kinds and names (Chinese, hostile, disguised executables), random declared types,
/// from every kind of caller. No answer is a 5xx; a refused upload stores nothing; what the content is decides: a file of
/// none of the six kinds, or not the kind its name claims, is never stored, and a well-named file of an allowed kind from
/// a signed-in caller always is, and comes back byte for byte.
/// </summary>
public sealed partial class HostileRequestFuzzTests
{
    private const int DefaultUploads = 80;

    private static readonly string[] DeclaredTypes = ["application/octet-stream", "application/pdf", "text/html", "image/png", "multipart/form-data; boundary=x"];

    private static readonly string[] UploadCallers = [People.Liaison, People.Office, People.Member, People.Administrator];

    /// <summary>Content and the kind it really is (null: none of ours).</summary>
    private static readonly (string Kind, Func<Random, byte[]> Make)[] Contents =
    [
        ("pdf", r => Padded(SampleFiles.Pdf("随机"), r)), ("jpeg", _ => SampleFiles.Jpeg()), ("png", _ => SampleFiles.Png()),
        ("docx", _ => SampleFiles.Docx()), ("xlsx", _ => SampleFiles.Xlsx()), ("ofd", _ => SampleFiles.Ofd()),
        ("", r => Padded(SampleFiles.Executable(), r)), ("", _ => SampleFiles.PlainZip()), ("", _ => SampleFiles.OfdXmlNotAtRoot()),
        ("", _ => Encoding.UTF8.GetBytes($"<html><script>alert('{HostileRequests.Marker}')</script></html>")),
        ("", r => Padded([0x50, 0x4B, 0x03, 0x04], r)), ("", _ => []), ("", r => Padded([0x25, 0x50, 0x44], r)),
    ];

    /// <summary>Names that claim no kind or the content's own, so the content alone decides.</summary>
    private static readonly string[] NeutralNames = ["考察材料", "任免审批表（2026年度）", "张三 同志 材料", HostileRequests.Texts[0], "a"];

    private static readonly string[] HostileNames =
    [
        "考察材料.pdf.exe", "setup.exe", "../../../../etc/passwd", "C:\\fakepath\\照片.png", "报告\u0000.pdf", "\u202egpj.exe", "", "   ",
        new string('长', 300) + ".pdf", "..", "说明.docx", "统计.xlsx", "公文.ofd", "照片.jpg", "截图.png", HostileRequests.Texts[1],
    ];

    [Fact]
    public async Task Hostile_uploads_get_no_5xx_refused_ones_store_nothing_and_the_content_decides()
    {
        var count = Setting("WORKFLOWHOST_FUZZ_UPLOADS", DefaultUploads);
        var seed = Setting("WORKFLOWHOST_FUZZ_SEED", DefaultSeed);
        var random = new Random(seed);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var person in UploadCallers)
        {
            tokens[person] = await Api.TokenAsync(person);
        }

        using var client = fixture.Factory.CreateClient();
        var failures = new List<string>();
        var byStatus = new SortedDictionary<int, int>();
        for (var i = 0; i < count && failures.Count < 20; i++)
        {
            var (kind, make) = HostileRequests.Pick(Contents, random);
            var bytes = make(random);
            var neutral = random.Next(2) == 0;
            var name = neutral ? HostileRequests.Pick(NeutralNames, random) + (kind.Length > 0 && random.Next(2) == 0 ? "." + Extension(kind) : "") : HostileRequests.Pick(HostileNames, random);
            var person = random.Next(10) == 0 ? null : HostileRequests.Pick(UploadCallers, random);
            using var message = new HttpRequestMessage(HttpMethod.Post, "/api/attachments?name=" + Uri.EscapeDataString(name)) { Content = new ByteArrayContent(bytes) };
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(HostileRequests.Pick(DeclaredTypes, random));
            if (person is not null)
            {
                HostileRequests.AddBearer(message, tokens[person]);
            }

            var before = await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);
            using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var what = $"upload {i} as {person ?? "anonymous"} of {(kind.Length == 0 ? "no kind" : kind)} ({bytes.Length} bytes) named {Shorten(name)} → {status}";
            if (status >= 500)
            {
                failures.Add($"{what}: {Shorten(text)}");
                continue;
            }

            if (status >= 400)
            {
                var after = await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);
                if (after != before)
                {
                    failures.Add($"{what} changed the database: {before.Difference(after)}");
                }
            }

            if (status == 201 && kind.Length == 0)
            {
                failures.Add($"{what}: content of none of the allowed kinds was stored");
            }
            else if (status == 201)
            {
                var body = JsonNode.Parse(text)!;
                var stored = body["name"]!.GetValue<string>();
                if (body["kind"]!.GetValue<string>() != kind || body["sha256"]!.GetValue<string>() != Convert.ToHexStringLower(SHA256.HashData(bytes))
                    || stored.Contains('/', StringComparison.Ordinal) || stored.Contains('\\', StringComparison.Ordinal) || stored.Any(char.IsControl))
                {
                    failures.Add($"{what}: stored as {body.ToJsonString()}");
                }

                using var download = await Uploads.DownloadAsync(Api, person!, $"/api/attachments/{body["id"]}");
                var downloaded = await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
                if (!bytes.AsSpan().SequenceEqual(downloaded))
                {
                    failures.Add($"{what}: downloaded bytes differ");
                }
            }
            else if (neutral && person is not null && kind.Length > 0)
            {
                failures.Add($"{what}: a well-named {kind} from a signed-in caller was refused: {Shorten(text)}");
            }
        }

        output.WriteLine($"{count} uploads from seed {seed}: " + string.Join(", ", byStatus.Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(byStatus.ContainsKey(201) && byStatus.ContainsKey(415), "the series neither stored nor refused a file by its content");
    }

    /// <summary>The content followed by up to 300 KB of random bytes: past the 256 KiB chunk now and then.</summary>
    private static byte[] Padded(byte[] head, Random random)
    {
        var bytes = new byte[head.Length + (random.Next(3) == 0 ? random.Next(300 * 1024) : random.Next(64))];
        random.NextBytes(bytes);
        head.CopyTo(bytes, 0);
        return bytes;
    }

    private static string Extension(string kind) => kind == "jpeg" ? "jpg" : kind;
}
