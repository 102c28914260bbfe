using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Attachments;

[CollectionDefinition(nameof(OversizeUploadTests), DisableParallelization = true)]
public sealed class OversizeUploadsAlone;

/// <summary>
/// A 200 MB body against a 16 MiB limit: refused with 413 once the limit is passed, not after reading it all, and without
/// the file ever being held in memory. Alone in its collection, so the process's allocation counter is this test's.
/// </summary>
[Collection(nameof(OversizeUploadTests))]
public sealed class OversizeUploadTests
{
    private const long Limit = 16L * 1024 * 1024;
    private const long BodyLength = 200L * 1024 * 1024;

    [Fact]
    public async Task A_200_MB_upload_is_refused_with_413_while_streaming_and_memory_stays_flat()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Attachments:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var api = new ApiDriver(factory);
        await api.TokenAsync(People.Liaison);
        var body = new GeneratedBody(BodyLength);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        // No Content-Length: the body is chunked, so only counting while reading can stop it.
        var reply = await Uploads.UploadAsync(api, People.Liaison, "巨大文件.pdf", new StreamContent(body, 64 * 1024));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("file-too-large", reply.Body["code"]!.GetValue<string>());
        Assert.True(body.Served < BodyLength, $"the whole body was read ({body.Served} bytes)");
        Assert.True(allocated < 48L * 1024 * 1024, $"{allocated / (1024 * 1024)} MiB allocated for a {Limit / (1024 * 1024)} MiB limit");
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await db.Attachments.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.AttachmentChunks.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_the_body_is_read()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Attachments:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var api = new ApiDriver(factory);
        var body = new GeneratedBody(BodyLength);
        var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentLength = BodyLength;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");

        var reply = await Uploads.UploadAsync(api, People.Liaison, "巨大文件.pdf", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.True(body.Served <= 1024 * 1024, $"{body.Served} bytes were read");
    }

    /// <summary>A PDF header followed by filler, produced as it is read from one small buffer: nothing of it is kept.</summary>
    private sealed class GeneratedBody(long length) : Stream
    {
        private static readonly byte[] Header = "%PDF-1.7\n"u8.ToArray();

        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, length - Served);
            for (var i = 0; i < count; i++)
            {
                var at = Served + i;
                buffer[i] = at < Header.Length ? Header[at] : (byte)'x';
            }

            Served += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
