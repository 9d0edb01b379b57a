namespace AuthKit.Blazor.WebAssembly;

/// <summary>Settings of the WebAssembly client (<c>AddAuthKitWebAssembly()</c>).</summary>
public sealed class AuthKitWebAssemblyOptions
{
    /// <summary>
    /// How often the client asks the server's session endpoint whether the session is still the same (signed out in
    /// another tab, revoked, refreshed, switched organization). Default 30 seconds; at least 1 second.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the client also checks when the browser tab becomes visible again. Default true.</summary>
    public bool CheckWhenVisible { get; set; } = true;
}
