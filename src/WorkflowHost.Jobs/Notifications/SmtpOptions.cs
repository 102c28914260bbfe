using FluentValidation;

namespace WorkflowHost.Jobs.Notifications;

/// <summary>
/// The SMTP server for e-mail notifications, bound from <c>Smtp</c> in appsettings.json. With no <see cref="Host"/>
/// e-mail is off: notifications stay in-app and their e-mail deliveries are marked skipped.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c> or <c>SslOnConnect</c>.</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string FromAddress { get; set; } = "";

    public string FromName { get; set; } = "社区大党委 WorkflowHost";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per e-mail before it is marked failed for administrators.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait after the first failure; doubled after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

public sealed class SmtpOptionsValidator : AbstractValidator<SmtpOptions>
{
    public static readonly IReadOnlyList<string> SecurityModes = ["None", "StartTls", "StartTlsWhenAvailable", "SslOnConnect"];

    public SmtpOptionsValidator()
    {
        When(o => o.Enabled, () =>
        {
            RuleFor(o => o.Port).InclusiveBetween(1, 65535);
            RuleFor(o => o.FromAddress).NotEmpty().EmailAddress().WithMessage("an e-mail address to send from is required when Host is set");
            RuleFor(o => o.Security).Must(s => SecurityModes.Contains(s)).WithMessage($"one of {string.Join(", ", SecurityModes)}");
            RuleFor(o => o.Password).NotEmpty().When(o => !string.IsNullOrEmpty(o.UserName)).WithMessage("is required with UserName");
        });
        RuleFor(o => o.Timeout).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        RuleFor(o => o.MaxAttempts).InclusiveBetween(1, 50);
        RuleFor(o => o.FirstRetryDelay).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        RuleFor(o => o.MaxRetryDelay).GreaterThanOrEqualTo(o => o.FirstRetryDelay);
    }
}
