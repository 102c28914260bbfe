using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Options;

namespace WorkflowHost.Configuration;

/// <summary>Runs a FluentValidation validator over an options class when it is first used; with ValidateOnStart, at start.</summary>
internal sealed class FluentOptionsValidation<TOptions>(IServiceProvider services, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        using var scope = services.CreateScope();
        var validator = scope.ServiceProvider.GetRequiredService<IValidator<TOptions>>();
        var result = validator.Validate(options);
        return result.IsValid ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(OptionsRegistration.Messages(section, result));
    }
}

/// <summary>
/// The one way the host binds a configuration section: each section is bound once, validated by its FluentValidation
/// validator, and a wrong value stops the host with <see cref="OptionsValidationException"/> naming
/// <c>Section:Property</c>. Consumers read <see cref="IOptions{TOptions}"/>.
/// </summary>
internal static class OptionsRegistration
{
    /// <summary>Binds a section, validates it with its FluentValidation validator, and fails the start if it is wrong (ValidateOnStart).</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidator<TOptions>
    {
        services.AddScoped<IValidator<TOptions>, TValidator>();
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new FluentOptionsValidation<TOptions>(sp, section));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// For a section that the registration itself depends on (which database, which Hangfire storage, lockout and rate
    /// limits): binds and validates it now, while the services are being registered, rather than at start, and
    /// registers that same instance as <see cref="IOptions{TOptions}"/>. Asked again for the same section (persistence
    /// and scheduling both need <c>Persistence</c>), it returns the instance already bound.
    /// </summary>
    public static TOptions AddValidatedOptionsNow<TOptions, TValidator>(this WebApplicationBuilder builder, string section)
        where TOptions : class, new()
        where TValidator : class, IValidator<TOptions>, new()
    {
        if (builder.Services.LastOrDefault(d => d.ServiceType == typeof(IOptions<TOptions>))?.ImplementationInstance is IOptions<TOptions> bound)
        {
            return bound.Value;
        }

        var options = builder.Configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        var result = new TValidator().Validate(options);
        if (!result.IsValid)
        {
            throw new OptionsValidationException(section, typeof(TOptions), Messages(section, result));
        }

        builder.Services.AddScoped<IValidator<TOptions>, TValidator>();
        builder.Services.AddSingleton(Options.Create(options));
        return options;
    }

    internal static IEnumerable<string> Messages(string section, ValidationResult result) =>
        result.Errors.Select(e => $"{section}:{e.PropertyName}: {e.ErrorMessage}");
}
