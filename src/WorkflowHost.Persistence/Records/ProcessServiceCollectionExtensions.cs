using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WorkflowHost.Persistence.Records;

public static class ProcessServiceCollectionExtensions
{
    /// <summary>The lookup providers and registers the shipped processes use.</summary>
    public static IServiceCollection AddProcessStore(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILookupProvider, CommunityRecordProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILookupProvider, PriorConsultationsProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordRegister, ParticipationRegister>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordRegister, CoBuildingRegister>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordRegister, InService.RegistrationRegister>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordRegister, InService.Feedback.ReviewRegister>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordRegister, InService.Feedback.EvaluationRegister>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordRegister, InService.Feedback.LettersRegister>());
        services.TryAddSingleton<ProcessStore>();
        return services;
    }
}
