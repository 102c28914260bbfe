using FluentValidation;
using Microsoft.Extensions.Options;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Features.Replies;

/// <summary>
/// The verification code printed next to a reply's number (意见回执编号 + 校验码): <see cref="DocumentCodes"/> over what the
/// reply is: community, series, number, instance, the step that issued it (which says consent or not) and the time.
/// With the number and code anyone can check a paper reply and learn nothing beyond what the reply itself says.
/// </summary>
public sealed class ReplyCodes(DocumentCodes codes)
{
    private const string Purpose = "reply-v1";

    public string CodeFor(IssuedNumber number) => codes.CodeFor(Purpose, Content(number));

    /// <summary>Compares in constant time, ignoring case, spaces and hyphens.</summary>
    public bool Matches(IssuedNumber number, string code) => codes.Matches(Purpose, Content(number), code);

    private static string Content(IssuedNumber number) =>
        string.Join('\n', number.CommunityId, number.Series, number.Number, number.InstanceId.ToString("D"),
            number.ActivityId, number.IssuedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

public sealed class ReplyOptions
{
    public const string Section = "Replies";

    /// <summary>Base64 of at least 32 random bytes. The repository's development key is refused outside Development.</summary>
    public string VerificationKey { get; set; } = "";

    /// <summary>The key in appsettings.Development.json: public, so only good for a demonstration.</summary>
    public const string DevelopmentKey = "ZGV2ZWxvcG1lbnQtb25seS1yZXBseS1rZXktYmluaGUtMjAyNg==";
}

internal sealed class ReplyOptionsValidator : AbstractValidator<ReplyOptions>
{
    public ReplyOptionsValidator(IHostEnvironment environment)
    {
        RuleFor(o => o.VerificationKey).NotEmpty().WithMessage("set a base64 key of at least 32 random bytes (e.g. `openssl rand -base64 32`)")
            .Must(BeLongEnough).WithMessage("must be base64 of at least 32 bytes");
        RuleFor(o => o.VerificationKey).NotEqual(ReplyOptions.DevelopmentKey).When(_ => !environment.IsDevelopment())
            .WithMessage("the development key from the repository is refused outside Development; set a secret key");
    }

    private static bool BeLongEnough(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var length) && length >= 32;
    }
}
