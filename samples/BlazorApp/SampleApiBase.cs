namespace BlazorApp;

/// <summary>
/// Where the API proxy sends the WebAssembly pages' calls: <c>Sample:ApiBaseUrl</c>, else this app's own first listening
/// address (its <c>/api</c> is the sample's bearer API), with a wildcard host read as loopback.
/// </summary>
internal static class SampleApiBase
{
    public static string From(IConfiguration configuration)
    {
        if (configuration["Sample:ApiBaseUrl"] is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        var first = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "http://localhost:5080")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "http://localhost:5080";
        var normalized = first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        return normalized.TrimEnd('/');
    }
}
