using FluentValidation;
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
        return result.IsValid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(result.Errors.Select(e => $"{section}:{e.PropertyName}: {e.ErrorMessage}"));
    }
}

internal static class OptionsRegistration
{
    /// <summary>Binds a section, validates it with its FluentValidation validator, and fails the start if it is wrong.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidator<TOptions>
    {
        services.AddScoped<IValidator<TOptions>, TValidator>();
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new FluentOptionsValidation<TOptions>(sp, section));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }
}
