using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WorkflowHost.Persistence.Processes;

public static class ProcessServiceCollectionExtensions
{
    /// <summary>The lookup providers and registers the shipped processes use, and the queries over them.</summary>
    public static IServiceCollection AddProcessStore(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILookupProvider, CommunityRecordProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILookupProvider, PriorConsultationsProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordRegister, ParticipationRegister>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordRegister, CoBuildingRegister>());
        services.TryAddSingleton<ProcessStore>();
        services.TryAddSingleton<ProcessQueries>();
        services.TryAddSingleton<DocumentQueries>();
        return services;
    }

    /// <summary>
    /// The server key documents' verification codes are made with (base64 of at least 32 random bytes). Without it documents
    /// are still issued and stored; only their codes cannot be shown or checked.
    /// </summary>
    public static IServiceCollection AddDocumentCodes(this IServiceCollection services, string base64Key)
    {
        services.AddSingleton(DocumentCodes.FromBase64(base64Key));
        return services;
    }
}
