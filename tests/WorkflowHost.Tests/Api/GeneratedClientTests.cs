using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// The OpenAPI document tells the truth about its schemas: a C# client generated from the served document with NSwag,
/// compiled with Roslyn together with <c>GeneratedClient/PromotionScenario.cs</c>, takes a promotion consultation from
/// submission to the verified reply. The scenario uses the generated types and methods only (named by the document's
/// operationIds); a schema that lies fails its compilation or its (de)serialisation.
/// </summary>
public sealed class GeneratedClientTests
{
    [Fact]
    public async Task A_client_generated_from_the_document_takes_a_consultation_from_submission_to_reply()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var phases = new List<string>();
        await using var factory = new HostFactory();
        using var documentClient = factory.CreateClient();
        var json = await documentClient.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        phases.Add($"host and document {watch.ElapsedMilliseconds} ms");
        var code = await GenerateAsync(json);
        phases.Add($"generated {watch.ElapsedMilliseconds} ms");
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "GeneratedWorkflowHostClient.cs"), code, TestContext.Current.CancellationToken);

        var scenario = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Api", "GeneratedClient", "PromotionScenario.cs"), TestContext.Current.CancellationToken);
        var assembly = Compile(code, scenario);
        phases.Add($"compiled {watch.ElapsedMilliseconds} ms");

        var run = assembly.GetType("GeneratedClientScenario.PromotionScenario")!.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!;
        var log = new List<string>();
        var result = await (Task<string>)run.Invoke(null, [(Func<HttpClient>)(() => factory.CreateClient()), log])!;
        phases.Add($"scenario run {watch.ElapsedMilliseconds} ms");
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', log.Concat(phases)));
        Assert.Equal("consent", result);
    }

    private static async Task<string> GenerateAsync(string json)
    {
        var document = await OpenApiDocument.FromJsonAsync(json);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "WorkflowHostClient",
            GenerateClientInterfaces = false,
            UseBaseUrl = false, // the HttpClient's BaseAddress
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            GenerateOptionalParameters = true,
            CSharpGeneratorSettings =
            {
                Namespace = "GeneratedClientScenario.Client",
                JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson,
                GenerateNullableReferenceTypes = true,
                DateType = "System.DateOnly", // format: date, e.g. a reply's issuedOn
            },
        };
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    /// <summary>Compiles against the running framework's own assemblies; any error fails the test with the generated code's line.</summary>
    private static Assembly Compile(params string[] sources)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "GeneratedClientScenario",
            sources.Select(source => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(d => d.ToString()).ToList();
        Assert.True(emitted.Success, "the generated client and the scenario do not compile:\n" + string.Join('\n', errors));
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }
}
