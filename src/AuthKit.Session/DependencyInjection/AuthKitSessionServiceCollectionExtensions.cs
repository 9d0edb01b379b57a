namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AuthKit session core.</summary>
public static class AuthKitSessionServiceCollectionExtensions
{
    /// <summary>Name of the <see cref="System.Net.Http.HttpClient"/> used for every WorkOS call (API and JWKS): <c>AuthKit.WorkOS</c>.</summary>
    public const string HttpClientName = "AuthKit.WorkOS";
}
