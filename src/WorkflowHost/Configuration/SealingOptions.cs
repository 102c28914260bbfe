using FluentValidation;

namespace WorkflowHost.Configuration;

/// <summary>
/// <c>Sealing:Key</c>: the secret that keys the journal's hash chain and seals secret ballots' choices (decisions 90 and
/// 91). It must not live in the database (the Data Protection key ring does, so it cannot serve): set it in the
/// environment (<c>Sealing__Key</c>), a secrets store, or a key file mounted into the configuration. Keep a copy with
/// every backup, apart from it: a database restored without its key is refused at start (docs/operations.md, "Keys").
/// Validated at start like <c>Replies:VerificationKey</c>; never logged.
/// </summary>
public sealed class SealingOptions
{
    public const string Section = "Sealing";

    /// <summary>Base64 of at least 32 random bytes. The repository's development key is refused outside Development.</summary>
    public string Key { get; set; } = "";

    /// <summary>The key in appsettings.Development.json: public, so only good for a demonstration.</summary>
    public const string DevelopmentKey = "ZGV2ZWxvcG1lbnQtb25seS1zZWFsaW5nLWtleS1iaW5oZS0yMDI2";

    /// <summary>Never the key itself, whatever prints the options.</summary>
    public override string ToString() => "SealingOptions { Key = (hidden) }";
}

internal sealed class SealingOptionsValidator : AbstractValidator<SealingOptions>
{
    public SealingOptionsValidator(IHostEnvironment environment)
    {
        RuleFor(o => o.Key).NotEmpty().WithMessage("set a base64 key of at least 32 random bytes (e.g. `openssl rand -base64 32`); keep a copy with your backups")
            .Must(BeLongEnough).WithMessage("must be base64 of at least 32 bytes");
        RuleFor(o => o.Key).NotEqual(SealingOptions.DevelopmentKey).When(_ => !environment.IsDevelopment())
            .WithMessage("the development key from the repository is refused outside Development; set a secret key");
    }

    private static bool BeLongEnough(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var length) && length >= 32;
    }
}
