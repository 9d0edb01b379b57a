namespace AuthKit.Testing;

/// <summary>
/// A fault served instead of (or before) the normal response of a route, for the next <see cref="Count"/> matching requests.
/// </summary>
public sealed class EmulatorFault
{
    /// <summary>
    /// The request path to match, e.g. <c>/user_management/authenticate</c> (case-insensitive; a trailing <c>*</c> matches a prefix). Required.
    /// </summary>
    public required string Route { get; init; }

    /// <summary>The HTTP method to match. Default none (any method).</summary>
    public string? Method { get; init; }

    /// <summary>
    /// For <c>/user_management/authenticate</c>: the <c>grant_type</c> to match (e.g. <c>refresh_token</c>). Default none (any).
    /// </summary>
    public string? GrantType { get; init; }

    /// <summary>
    /// The status to answer with. Default <see langword="null"/>: no error response, only <see cref="Delay"/>, then the normal response.
    /// </summary>
    public int? Status { get; init; }

    /// <summary>
    /// The JSON body to send with <see cref="Status"/>. Default: the WorkOS rate-limit body for 429,
    /// <c>{"message":"Injected fault","code":"emulator_fault"}</c> otherwise.
    /// </summary>
    public string? Body { get; init; }

    /// <summary>Value of the <c>Retry-After</c> header (whole seconds). Default none.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>How long to wait before answering, measured on the emulator's <see cref="WorkOSEmulatorOptions.TimeProvider"/>. Default none.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>How many matching requests the fault applies to. Default 1; <see langword="null"/> means until <see cref="WorkOSEmulator.ClearFaults"/>.</summary>
    public int? Count { get; init; } = 1;

    /// <summary>A 429 <c>rate_limit_exceeded</c> fault with a <c>Retry-After</c> header on a route.</summary>
    /// <param name="route">The path, e.g. <c>/user_management/authenticate</c>.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> value.</param>
    /// <param name="grantType">Optional grant type filter.</param>
    /// <param name="count">How many requests it applies to. Default 1.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault RateLimit(string route, TimeSpan retryAfter, string? grantType = null, int? count = 1) =>
        new() { Route = route, Status = 429, RetryAfter = retryAfter, GrantType = grantType, Count = count };
}
