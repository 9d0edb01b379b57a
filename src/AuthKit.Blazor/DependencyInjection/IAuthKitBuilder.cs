namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddAuthKit()</c> for opt-ins (events, relay store, options).</summary>
public interface IAuthKitBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}
