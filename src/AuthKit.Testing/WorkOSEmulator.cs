using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthKit.Session;
using AuthKit.Testing.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthKit.Testing;

/// <summary>
/// A local WorkOS User Management API on a loopback port: the AuthKit sign-in page, the authenticate grants with rotating
/// single-use refresh tokens, RS256 JWKS with key rotation, logout, session revocation, organizations, and a control
/// surface (in process and over HTTP under <c>/_emulator</c>) for tests.
/// </summary>
/// <example>
/// <code>
/// await using var workos = await WorkOSEmulator.StartAsync();
/// services.AddAuthKitSession(workos.ConfigureAuthKit);
/// </code>
/// </example>
public sealed class WorkOSEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorService _svc;
    private readonly SigningKeyRing _keys;
    private readonly FaultStore _faults;
    private readonly OffsetTimeProvider _clock;
    private readonly CancellationTokenSource _stopping;
    private readonly ILogger _logger;
    private ApiKeyStore _apiKeys = null!;
    private Uri _baseUri = new("http://127.0.0.1/");
    private int _disposed;

    private WorkOSEmulator(WebApplication app, EmulatorService svc, SigningKeyRing keys, FaultStore faults, OffsetTimeProvider clock, CancellationTokenSource stopping, ILogger logger)
    {
        _app = app;
        _svc = svc;
        _keys = keys;
        _faults = faults;
        _clock = clock;
        _stopping = stopping;
        _logger = logger;
    }

    /// <summary>The emulator's base address, e.g. <c>http://127.0.0.1:53124/</c> (with a trailing slash).</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>The bound port.</summary>
    public int Port => _baseUri.Port;

    /// <summary>The accepted client id.</summary>
    public string ClientId => _svc.Options.ClientId;

    /// <summary>The accepted API key.</summary>
    public string ApiKey => _svc.Options.ApiKey;

    /// <summary>The JWKS address, <c>{BaseUri}sso/jwks/{ClientId}</c>.</summary>
    public Uri JwksUri => new(_baseUri, "sso/jwks/" + Uri.EscapeDataString(ClientId));

    /// <summary>The <c>iss</c> claim of issued access tokens, <c>{BaseUri}user_management/{ClientId}</c>.</summary>
    public string Issuer => _svc.Issuer;

    /// <summary>The <c>kid</c> of the key signing new access tokens.</summary>
    public string CurrentSigningKeyId => _keys.CurrentKid;

    /// <summary>The current clock offset (see <see cref="SetClockOffset"/>). Default zero.</summary>
    public TimeSpan ClockOffset => _clock.Offset;

    /// <summary>The emulator's clock: <see cref="WorkOSEmulatorOptions.TimeProvider"/> plus <see cref="ClockOffset"/>.</summary>
    public TimeProvider TimeProvider => _clock;

    /// <summary>A snapshot of the request counts (see <see cref="EmulatorRequestCounts"/>).</summary>
    public EmulatorRequestCounts RequestCounts => _svc.Counters.Snapshot(_svc.ActiveSessionCount());

    /// <summary>Starts an emulator on <c>127.0.0.1</c>.</summary>
    /// <param name="options">Settings; default <see cref="WorkOSEmulatorOptions"/> (demo seed, random port). Copied at start.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop.</returns>
    /// <exception cref="ArgumentException">The options or the seed are invalid.</exception>
    public static async Task<WorkOSEmulator> StartAsync(WorkOSEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Copy(options ?? new WorkOSEmulatorOptions());
        Validate(options);

        options.Seed.Validate();
        var initialKey = RsaKeyPool.TakeAsync(); // generated while the host is built
        var clock = new OffsetTimeProvider(options.TimeProvider);
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("AuthKit.Testing.WorkOSEmulator");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(WorkOSEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Isolate the emulator from the host process's appsettings / environment (e.g. a sample's Kestrel endpoints).
        foreach (var source in builder.Configuration.Sources.Where(s => s is FileConfigurationSource or EnvironmentVariablesConfigurationSource).ToList())
        {
            builder.Configuration.Sources.Remove(source);
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port);
        });

        var app = builder.Build();
        var keys = new SigningKeyRing(clock, options.SigningKeyGracePeriod, await initialKey.ConfigureAwait(false));
        var svc = new EmulatorService(options, clock, keys, logger);
        var faults = new FaultStore();
        var stopping = new CancellationTokenSource();
        var emulator = new WorkOSEmulator(app, svc, keys, faults, clock, stopping, logger);
        RequestPipeline.Use(app, svc, faults, stopping.Token, logger);
        ApiEndpoints.Map(app, svc, keys, logger);
        AuthorizeEndpoints.Map(app, svc, logger);
        emulator._apiKeys = new ApiKeyStore(options.Seed.ApiKeys, clock);
        ApiKeyEndpoints.Map(app, emulator, svc, emulator._apiKeys, logger);
        ControlEndpoints.Map(app, emulator, svc);
        app.MapFallback(() => EmulatorResults.Json(WireErrors.NotFound("No such endpoint in the WorkOS emulator.")));

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            keys.Dispose();
            stopping.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator._baseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        svc.Issuer = new Uri(emulator._baseUri, "user_management/" + Uri.EscapeDataString(options.ClientId)).ToString();
        Log.Started(logger, emulator._baseUri, options.ClientId, keys.CurrentKid);
        return emulator;
    }

    /// <summary>
    /// Points AuthKit at this emulator: sets <see cref="AuthKitOptions.ClientId"/>, <see cref="AuthKitOptions.ApiKey"/>,
    /// <see cref="AuthKitOptions.ApiHostname"/> (<c>127.0.0.1</c>), <see cref="AuthKitOptions.ApiHttps"/> (<see langword="false"/>)
    /// and <see cref="AuthKitOptions.ApiPort"/>. Other settings (redirect URI, cookie password) are left alone.
    /// </summary>
    /// <param name="options">The options to change.</param>
    public void ConfigureAuthKit(AuthKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ClientId = ClientId;
        options.ApiKey = ApiKey;
        options.ApiHostname = _baseUri.Host;
        options.ApiHttps = false;
        options.ApiPort = Port;
    }

    /// <summary>The same settings as <see cref="ConfigureAuthKit"/> as configuration keys, for <c>AddInMemoryCollection</c>.</summary>
    /// <param name="sectionName">The configuration section AuthKit binds. Default <c>AuthKit</c>.</param>
    /// <returns>Keys such as <c>AuthKit:ClientId</c> and <c>AuthKit:ApiPort</c> with their values.</returns>
    public IReadOnlyDictionary<string, string?> GetAuthKitConfiguration(string sectionName = "AuthKit")
    {
        var prefix = string.IsNullOrEmpty(sectionName) ? "" : sectionName + ":";
        return new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [prefix + nameof(AuthKitOptions.ClientId)] = ClientId,
            [prefix + nameof(AuthKitOptions.ApiKey)] = ApiKey,
            [prefix + nameof(AuthKitOptions.ApiHostname)] = _baseUri.Host,
            [prefix + nameof(AuthKitOptions.ApiHttps)] = "false",
            [prefix + nameof(AuthKitOptions.ApiPort)] = Port.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Ends a session as the revoke endpoint does: its next refresh fails with <c>invalid_grant</c>.</summary>
    /// <param name="sessionId">The session id (<c>sid</c>).</param>
    /// <returns><see langword="false"/> when the session is unknown.</returns>
    public bool RevokeSession(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var found = _svc.EndSession(sessionId);
        Log.Control(_logger, found ? "session revoked" : "revoke of an unknown session");
        return found;
    }

    /// <summary>
    /// Creates a WorkOS API key that <c>POST /api_keys/validations</c> accepts from now on (as the dashboard or the API Keys
    /// widget would). Also over HTTP: <c>POST /_emulator/api_keys</c>.
    /// </summary>
    /// <param name="key">The key: name, owner organization (and user, for a user-owned key), permissions, optional value and expiry.</param>
    /// <returns>The key as stored: <see cref="EmulatorApiKey.Id"/> and <see cref="EmulatorApiKey.Value"/> filled in.</returns>
    /// <exception cref="ArgumentException">Unknown organization or user, a user without an active membership, a value not starting with <c>sk_</c> or already used.</exception>
    public EmulatorApiKey CreateApiKey(EmulatorApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(key.Name);
        if (_svc.FindOrganization(key.OrganizationId) is null)
        {
            throw new ArgumentException($"No organization has the id '{key.OrganizationId}'.", nameof(key));
        }

        if (key.UserId is { } userId && !_svc.AllMemberships().Any(m => m.Membership.UserId == userId && m.Membership.OrgId == key.OrganizationId && m.Membership.Status == "active"))
        {
            throw new ArgumentException($"User '{userId}' has no active membership in '{key.OrganizationId}'.", nameof(key));
        }

        if (key.Value is { } value && (!value.StartsWith("sk_", StringComparison.Ordinal) || value.Length < 8))
        {
            throw new ArgumentException("An API key value must start with 'sk_' and have at least 8 characters.", nameof(key));
        }

        var record = _apiKeys.Add(key);
        Log.Control(_logger, "API key created");
        return new EmulatorApiKey
        {
            Id = record.Id, Name = record.Name, Value = record.Value, OrganizationId = record.OrganizationId, UserId = record.UserId,
            Permissions = [.. record.Permissions], ExpiresAt = record.ExpiresAt,
        };
    }

    /// <summary>Revokes (deletes) an API key: validations answer <c>{"api_key": null}</c> from now on. Also <c>POST /_emulator/api_keys/{id}/revoke</c>.</summary>
    /// <param name="apiKeyId">The key id (<c>api_key_...</c>).</param>
    /// <returns><see langword="false"/> when the key is unknown.</returns>
    public bool RevokeApiKey(string apiKeyId)
    {
        ArgumentNullException.ThrowIfNull(apiKeyId);
        var found = _apiKeys.Revoke(apiKeyId);
        Log.Control(_logger, found ? "API key revoked" : "revoke of an unknown API key");
        return found;
    }

    /// <summary>Whether a session is active (not revoked or logged out, and its refresh token not expired).</summary>
    /// <param name="sessionId">The session id (<c>sid</c>).</param>
    /// <returns><see langword="true"/> when active.</returns>
    public bool IsSessionActive(string sessionId) => _svc.IsSessionActive(sessionId);

    /// <summary>Changes a membership's role; the next token issued for that user and organization carries it.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="organizationId">The organization id.</param>
    /// <param name="role">A role slug defined in the seed.</param>
    /// <exception cref="KeyNotFoundException">The user has no membership in the organization.</exception>
    /// <exception cref="ArgumentException">The role is not defined.</exception>
    public void SetMembershipRole(string userId, string organizationId, string role)
    {
        _svc.SetMembershipRole(userId, organizationId, role);
        Log.Control(_logger, "membership role changed");
    }

    /// <summary>Changes a membership's status (<c>active</c>, <c>inactive</c> or <c>pending</c>); only active memberships can be signed into.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="organizationId">The organization id.</param>
    /// <param name="status">The new status.</param>
    /// <exception cref="KeyNotFoundException">The user has no membership in the organization.</exception>
    /// <exception cref="ArgumentException">The status is not one of the three.</exception>
    public void SetMembershipStatus(string userId, string organizationId, string status)
    {
        _svc.SetMembershipStatus(userId, organizationId, status);
        Log.Control(_logger, "membership status changed");
    }

    /// <summary>
    /// Adds a new signing key and signs with it from now on; the previous key stays in the JWKS for
    /// <see cref="WorkOSEmulatorOptions.SigningKeyGracePeriod"/>.
    /// </summary>
    /// <returns>The new key's <c>kid</c>.</returns>
    public string RotateSigningKey()
    {
        var kid = _keys.Rotate();
        Log.KeyRotated(_logger, kid);
        return kid;
    }

    /// <summary>Sets (not adds to) the offset added to the emulator's clock, e.g. to expire codes and tokens.</summary>
    /// <param name="offset">The offset; may be negative.</param>
    public void SetClockOffset(TimeSpan offset)
    {
        _clock.Offset = offset;
        Log.Control(_logger, "clock offset set to " + offset.ToString("c", CultureInfo.InvariantCulture));
    }

    /// <summary>Injects a fault on a route (see <see cref="EmulatorFault"/>).</summary>
    /// <param name="fault">The fault.</param>
    /// <exception cref="ArgumentException">The fault has no route, or neither a status nor a delay.</exception>
    public void InjectFault(EmulatorFault fault)
    {
        _faults.Add(fault);
        Log.Control(_logger, "fault injected on " + fault.Route);
    }

    /// <summary>Removes every injected fault.</summary>
    public void ClearFaults()
    {
        _faults.Clear();
        Log.Control(_logger, "faults cleared");
    }

    /// <summary>Sets every request count to zero.</summary>
    public void ResetRequestCounts() => _svc.Counters.Reset();

    /// <summary>
    /// Turns auto mode on (the authorize endpoint signs <paramref name="email"/> in without a page) or off (<see langword="null"/>).
    /// </summary>
    /// <param name="email">A seeded user's email, or null to show the page again.</param>
    /// <param name="organizationId">Organization for users with several memberships; null means the code grant answers 403 <c>organization_selection_required</c>.</param>
    /// <exception cref="ArgumentException">No user has this email.</exception>
    public void SetAutoSignIn(string? email, string? organizationId = null) => _svc.SetAutoSignIn(email, organizationId);

    /// <summary>
    /// Issues an authorization code as the sign-in page would, without a browser. The organization is
    /// <paramref name="organizationId"/>, else the user's only active membership; with several and none given,
    /// the code grant answers 403 <c>organization_selection_required</c>.
    /// </summary>
    /// <param name="email">A seeded user's email.</param>
    /// <param name="codeChallenge">The S256 PKCE challenge the code is bound to.</param>
    /// <param name="organizationId">Optional organization (active membership required).</param>
    /// <returns>The single-use code.</returns>
    /// <exception cref="ArgumentException">Unknown user, or no active membership in the organization.</exception>
    public string IssueCodeFor(string email, string codeChallenge, string? organizationId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(codeChallenge);
        var user = RequireUser(email);
        var (orgId, needsSelection) = ResolveOrganization(user, organizationId);
        return _svc.IssueCode(codeChallenge, user.Id, orgId, needsSelection, _clock.GetUtcNow(), "Password", null);
    }

    /// <summary>
    /// Creates a session directly and returns its tokens (no page, no code). The organization is
    /// <paramref name="organizationId"/>, else the user's only active membership, else none.
    /// </summary>
    /// <param name="email">A seeded user's email.</param>
    /// <param name="organizationId">Optional organization (active membership required).</param>
    /// <returns>The tokens and user.</returns>
    /// <exception cref="ArgumentException">Unknown user, or no active membership in the organization.</exception>
    public EmulatorSignIn SignIn(string email, string? organizationId = null)
    {
        var user = RequireUser(email);
        var (orgId, _) = ResolveOrganization(user, organizationId);
        var answer = _svc.SignInDirect(user, orgId);
        var body = answer.Body;
        var accessToken = body["access_token"]!.GetValue<string>();
        var sid = JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(accessToken.Split('.')[1])).RootElement.GetProperty("sid").GetString()!;
        return new EmulatorSignIn
        {
            SessionId = sid,
            AccessToken = accessToken,
            RefreshToken = body["refresh_token"]!.GetValue<string>(),
            User = ToWorkOSUser(body["user"]!.AsObject()),
            OrganizationId = orgId,
            Impersonator = user.Impersonator is { } imp ? new Impersonator { Email = imp.Email, Reason = imp.Reason } : null,
        };
    }

    /// <summary>
    /// The newest email verification code sent to <paramref name="email"/> (by a code exchange answering
    /// <c>email_verification_required</c>), or null when none was sent. Expired codes are returned too.
    /// </summary>
    /// <param name="email">A seeded user's email.</param>
    /// <returns>The 6-digit code, or null.</returns>
    public string? GetEmailVerificationCode(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return _svc.LatestEmailVerification(email)?.Code;
    }

    /// <summary>
    /// The query parameters of the newest <c>GET /user_management/authorize</c> request that passed validation
    /// (<c>provider</c>, <c>connection_id</c>, <c>organization_id</c>, <c>domain_hint</c>, <c>login_hint</c>, <c>screen_hint</c>,
    /// <c>invitation_token</c>, <c>prompt</c>, <c>max_age</c>, <c>redirect_uri</c>, <c>state</c>, ...), empty before the first.
    /// </summary>
    public IReadOnlyDictionary<string, string> LastAuthorizationQuery => _svc.LastAuthorizeQuery;

    /// <summary>Stops the server and releases the keys.</summary>
    /// <returns>A task completing when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _keys.Dispose();
            _stopping.Dispose();
        }
    }

    private UserRecord RequireUser(string email) =>
        _svc.FindUserByEmail(email) ?? throw new ArgumentException($"No seeded user has the email '{email}'.", nameof(email));

    private (string? OrgId, bool NeedsSelection) ResolveOrganization(UserRecord user, string? organizationId)
    {
        if (organizationId is not null)
        {
            return _svc.IsActiveMember(user.Id, organizationId)
                ? (organizationId, false)
                : throw new ArgumentException($"User '{user.Id}' has no active membership in organization '{organizationId}'.", nameof(organizationId));
        }

        var active = _svc.ActiveMemberships(user.Id);
        return active.Count switch
        {
            0 => (null, false),
            1 => (active[0].Organization.Id, false),
            _ => (null, true),
        };
    }

    private static WorkOSUser ToWorkOSUser(JsonObject u) => new()
    {
        Id = u["id"]!.GetValue<string>(),
        Email = u["email"]!.GetValue<string>(),
        EmailVerified = u["email_verified"]!.GetValue<bool>(),
        FirstName = (string?)u["first_name"],
        LastName = (string?)u["last_name"],
        ProfilePictureUrl = (string?)u["profile_picture_url"],
        LastSignInAt = (string?)u["last_sign_in_at"],
        Locale = (string?)u["locale"],
        CreatedAt = (string?)u["created_at"],
        UpdatedAt = (string?)u["updated_at"],
        ExternalId = (string?)u["external_id"],
        Metadata = JsonDocument.Parse(u["metadata"]?.ToJsonString() ?? "{}").RootElement.Clone(),
    };

    private static WorkOSEmulatorOptions Copy(WorkOSEmulatorOptions o) => new()
    {
        ClientId = o.ClientId,
        ApiKey = o.ApiKey,
        Port = o.Port,
        TimeProvider = o.TimeProvider,
        AccessTokenLifetime = o.AccessTokenLifetime,
        RefreshTokenLifetime = o.RefreshTokenLifetime,
        CodeLifetime = o.CodeLifetime,
        EmailVerificationCodeLifetime = o.EmailVerificationCodeLifetime,
        AuthenticationChallengeLifetime = o.AuthenticationChallengeLifetime,
        SigningKeyGracePeriod = o.SigningKeyGracePeriod,
        Seed = o.Seed,
        AutoSignInEmail = o.AutoSignInEmail,
        AutoSignInOrganizationId = o.AutoSignInOrganizationId,
        AllowedRedirectHosts = [.. o.AllowedRedirectHosts],
        RememberBrowserSignIn = o.RememberBrowserSignIn,
        LoggerFactory = o.LoggerFactory,
    };

    private static void Validate(WorkOSEmulatorOptions o)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(o.ClientId)) problems.Add("ClientId is required.");
        if (string.IsNullOrWhiteSpace(o.ApiKey)) problems.Add("ApiKey is required.");
        if (o.Port is < 0 or > 65535) problems.Add("Port must be 0..65535.");
        if (o.TimeProvider is null) problems.Add("TimeProvider is required.");
        if (o.Seed is null) problems.Add("Seed is required.");
        if (o.AccessTokenLifetime < TimeSpan.FromSeconds(1)) problems.Add("AccessTokenLifetime must be at least 1 second.");
        if (o.RefreshTokenLifetime <= TimeSpan.Zero) problems.Add("RefreshTokenLifetime must be positive.");
        if (o.CodeLifetime <= TimeSpan.Zero) problems.Add("CodeLifetime must be positive.");
        if (o.EmailVerificationCodeLifetime <= TimeSpan.Zero) problems.Add("EmailVerificationCodeLifetime must be positive.");
        if (o.AuthenticationChallengeLifetime <= TimeSpan.Zero) problems.Add("AuthenticationChallengeLifetime must be positive.");
        if (o.SigningKeyGracePeriod < TimeSpan.Zero) problems.Add("SigningKeyGracePeriod must not be negative.");
        if (o.AutoSignInEmail is { } email && o.Seed?.Users.Any(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)) != true)
        {
            problems.Add($"AutoSignInEmail '{email}' is not a seeded user.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid WorkOSEmulatorOptions: " + string.Join(" ", problems), nameof(o));
        }
    }

    /// <summary>The emulator runs inside another process: no Ctrl+C / SIGTERM handling, no console messages.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
