namespace AuthKit.Session;

/// <summary>Attributes of a cookie written by AuthKit (serialized in the npm package's order).</summary>
public sealed record AuthKitCookieOptions
{
    /// <summary>Cookie path. Default <c>/</c>.</summary>
    public string? Path { get; init; } = "/";
    /// <summary>Cookie domain, or null for host-only.</summary>
    public string? Domain { get; init; }
    /// <summary>Max-Age, or null for a browser-session cookie.</summary>
    public TimeSpan? MaxAge { get; init; }
    /// <summary>HttpOnly flag.</summary>
    public bool HttpOnly { get; init; } = true;
    /// <summary>Secure flag.</summary>
    public bool Secure { get; init; }
    /// <summary><c>lax</c>, <c>strict</c> or <c>none</c> (serialized as <c>Lax</c>, <c>Strict</c>, <c>None</c>), or null.</summary>
    public string? SameSite { get; init; }
    /// <summary>Priority attribute, verbatim, or null.</summary>
    public string? Priority { get; init; }
    /// <summary>Partitioned flag.</summary>
    public bool Partitioned { get; init; }
}
