namespace AuthKit.Blazor;

/// <summary>Server-side settings for WebAssembly and Auto components (<c>AddAuthKit().AddWebAssemblySupport(...)</c>).</summary>
public sealed class AuthKitWebAssemblySupportOptions
{
    /// <summary>
    /// How often WebAssembly components check the session, handed to the client with the page (it wins over the
    /// client's own <c>SessionCheckInterval</c>). Default null: the client's setting (30 seconds unless changed).
    /// </summary>
    public TimeSpan? SessionCheckInterval { get; set; }
}
