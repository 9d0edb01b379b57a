using Microsoft.Extensions.Logging;

namespace AuthKit.Testing;

/// <summary>Settings for <see cref="WorkOSEmulator"/>. Every member has a default that works out of the box.</summary>
public sealed class WorkOSEmulatorOptions
{
    /// <summary>The client id the emulator accepts. Default <c>client_emulator</c>.</summary>
    public string ClientId { get; set; } = "client_emulator";

    /// <summary>The API key the emulator accepts (<c>Authorization: Bearer</c> or <c>client_secret</c>). Default <c>sk_test_emulator</c>.</summary>
    public string ApiKey { get; set; } = "sk_test_emulator";

    /// <summary>The loopback port to listen on. Default 0 (a free port chosen by the OS; read it from <see cref="WorkOSEmulator.BaseUri"/>).</summary>
    public int Port { get; set; }

    /// <summary>
    /// The clock behind every expiry (codes, tokens, keys, sign-in age). Default <see cref="TimeProvider.System"/>.
    /// Tests pass a <c>FakeTimeProvider</c>; <see cref="WorkOSEmulator.SetClockOffset"/> shifts it further.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Access token lifetime (<c>exp - iat</c>). Default 5 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Lifetime of each refresh token from the moment it is issued. Default 30 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Lifetime of authorization codes, pending authentication tokens and sign-in page requests. Default 10 minutes.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Lifetime of email verification codes (<c>email_verification_required</c>). Default 10 minutes.</summary>
    public TimeSpan EmailVerificationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Lifetime of MFA authentication challenges (<c>mfa_challenge</c>). Default 10 minutes.</summary>
    public TimeSpan AuthenticationChallengeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a key replaced by <see cref="WorkOSEmulator.RotateSigningKey"/> stays in the JWKS. Default 15 minutes.</summary>
    public TimeSpan SigningKeyGracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Users, organizations, roles and feature flags. Default <see cref="EmulatorSeed.Demo"/>.</summary>
    public EmulatorSeed Seed { get; set; } = EmulatorSeed.Demo;

    /// <summary>
    /// Auto mode: when set, <c>GET /user_management/authorize</c> signs this user in without showing a page
    /// (a <c>login_hint</c> naming another seeded user wins). Default none (the HTML sign-in page is shown).
    /// </summary>
    public string? AutoSignInEmail { get; set; }

    /// <summary>
    /// In auto mode, the organization used for users with several active memberships when the request has no
    /// <c>organization_id</c>. Default none: the code grant then answers 403 <c>organization_selection_required</c>.
    /// </summary>
    public string? AutoSignInOrganizationId { get; set; }

    /// <summary>
    /// Hosts (besides loopback addresses and <c>localhost</c>) accepted in <c>redirect_uri</c> and <c>return_to</c>, and
    /// as a request's <c>Host</c> header: a request whose <c>Host</c> is neither loopback nor listed here gets 400 (against
    /// DNS rebinding). Default empty.
    /// </summary>
    public IList<string> AllowedRedirectHosts { get; set; } = [];

    /// <summary>
    /// Whether the sign-in page remembers the browser's last sign-in (a cookie on the emulator's origin) and signs it in
    /// again without a page, subject to <c>prompt</c> and <c>max_age</c>. Default <see langword="true"/>.
    /// </summary>
    public bool RememberBrowserSignIn { get; set; } = true;

    /// <summary>Receives the emulator's request log (sensitive values redacted). Default none (no logging).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
