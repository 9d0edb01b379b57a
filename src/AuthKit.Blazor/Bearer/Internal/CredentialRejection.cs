namespace AuthKit.Blazor;

/// <summary>
/// Why a bearer credential (access token or API key) was not accepted, carried as the <c>AuthenticateResult</c> failure so the
/// scheme's challenge can answer with the matching RFC 6750 error. <see cref="Unavailable"/>: WorkOS (or its keys) could not be
/// reached, which says nothing about the credential; the challenge answers 503 instead of 401.
/// </summary>
internal sealed class CredentialRejection(string error, string description, bool unavailable = false) : Exception(description)
{
    public string Error { get; } = error;
    public string Description { get; } = description;
    public bool Unavailable { get; } = unavailable;
}
