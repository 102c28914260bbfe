using WorkflowHost.Persistence.Processes;

namespace WorkflowHost.Configuration;

/// <summary>
/// The server key of documents' verification codes (意见回执校验码), from <c>Replies:VerificationKey</c> (base64 of at least 32
/// random bytes, e.g. <c>openssl rand -base64 32</c>). In Development a public demonstration key is used when none is set;
/// elsewhere a missing key leaves documents issued but unverifiable, and the host says so at start.
/// </summary>
internal static class DocumentVerificationRegistration
{
    public const string Section = "Replies";

    /// <summary>Public, in the repository: good for a demonstration only (the same key as the api branch's development settings).</summary>
    public const string DevelopmentKey = "ZGV2ZWxvcG1lbnQtb25seS1yZXBseS1rZXktYmluaGUtMjAyNg==";

    public static WebApplicationBuilder AddDocumentVerification(this WebApplicationBuilder builder)
    {
        var key = builder.Configuration[$"{Section}:VerificationKey"];
        if (string.IsNullOrWhiteSpace(key) && builder.Environment.IsDevelopment())
        {
            key = DevelopmentKey;
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            builder.Services.AddHostedService<MissingKeyWarning>();
            return builder;
        }

        builder.Services.AddDocumentCodes(key);
        return builder;
    }

    private sealed class MissingKeyWarning(ILogger<MissingKeyWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("No {Section}:VerificationKey is set: replies and minutes are issued, but their verification codes cannot be shown or checked.", Section);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
