namespace AuthKit.Testing.Internal;

/// <summary>The emulator's remembered sign-in for one browser (cookie on the emulator origin).</summary>
internal sealed class BrowserSignIn
{
    /// <summary>The emulator's browser cookie holding <see cref="Id"/>.</summary>
    public const string CookieName = "workos_emulator_session";

    public required string Id { get; init; }
    public required string UserId { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    public bool Ended { get; set; }
}
