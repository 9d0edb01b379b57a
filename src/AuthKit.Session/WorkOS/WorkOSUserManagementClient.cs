using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>
/// The WorkOS User Management client AuthKit uses: a typed <see cref="HttpClient"/> over the endpoints in WORKOS-API.md.
/// The API key is sent as a bearer token and as <c>client_secret</c>; errors become <see cref="WorkOSApiException"/> subtypes.
/// <c>/authenticate</c> is never retried here: refresh tokens are single use, so a blind retry can burn a session.
/// </summary>
internal sealed partial class WorkOSUserManagementClient : IWorkOSUserManagement
{
    private const string RequestIdHeader = "X-Request-ID";
    private const int MaxServerMessageLength = 200;

    private static readonly HashSet<string> AuthenticationStepCodes = new(StringComparer.Ordinal)
    {
        "organization_selection_required", "email_verification_required", "mfa_enrollment", "mfa_challenge", "sso_required",
    };

    private readonly HttpClient _http;
    private readonly IOptions<AuthKitOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the client. Options are read on first use, so they may be configured after construction.</summary>
    /// <param name="httpClient">The HTTP client (its <see cref="HttpClient.BaseAddress"/> is ignored; the base URL comes from the options).</param>
    /// <param name="options">AuthKit options: <c>ClientId</c>, <c>ApiKey</c>, <c>ApiHostname</c>, <c>ApiHttps</c>, <c>ApiPort</c>.</param>
    /// <param name="timeProvider">Clock used to turn an HTTP-date <c>Retry-After</c> into a delay. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Logger. Default none.</param>
    public WorkOSUserManagementClient(HttpClient httpClient, IOptions<AuthKitOptions> options, TimeProvider? timeProvider = null, ILogger<WorkOSUserManagementClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public Uri GetAuthorizationUrl(AuthorizationUrlRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Keys sorted and empty values dropped, as the Node SDK does.
        var query = new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["client_id"] = RequireClientId(),
            ["code_challenge"] = request.CodeChallenge,
            ["code_challenge_method"] = "S256",
            ["connection_id"] = request.ConnectionId,
            ["domain_hint"] = request.DomainHint,
            ["invitation_token"] = request.InvitationToken,
            ["login_hint"] = request.LoginHint,
            ["max_age"] = request.MaxAge is { } maxAge ? ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null,
            ["organization_id"] = request.OrganizationId,
            ["prompt"] = request.Prompt,
            ["provider"] = request.Provider,
            ["redirect_uri"] = request.RedirectUri,
            ["response_type"] = "code",
            ["screen_hint"] = request.ScreenHint,
            ["state"] = request.State,
        };
        return BuildUri("/user_management/authorize", query);
    }

    /// <inheritdoc />
    public Task<AuthenticationResponse> AuthenticateWithCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);
        return AuthenticateAsync("authorization_code", new AuthenticateRequestBody
        {
            GrantType = "authorization_code",
            ClientId = RequireClientId(),
            ClientSecret = RequireApiKey(),
            Code = code,
            CodeVerifier = codeVerifier,
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuthenticationResponse> AuthenticateWithRefreshTokenAsync(string refreshToken, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        return AuthenticateAsync("refresh_token", new AuthenticateRequestBody
        {
            GrantType = "refresh_token",
            ClientId = RequireClientId(),
            ClientSecret = RequireApiKey(),
            RefreshToken = refreshToken,
            OrganizationId = string.IsNullOrEmpty(organizationId) ? null : organizationId,
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuthenticationResponse> AuthenticateWithOrganizationSelectionAsync(string pendingAuthenticationToken, string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pendingAuthenticationToken);
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        const string grant = "urn:workos:oauth:grant-type:organization-selection";
        return AuthenticateAsync("organization_selection", new AuthenticateRequestBody
        {
            GrantType = grant,
            ClientId = RequireClientId(),
            ClientSecret = RequireApiKey(),
            PendingAuthenticationToken = pendingAuthenticationToken,
            OrganizationId = organizationId,
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuthenticationResponse> AuthenticateWithEmailVerificationAsync(string pendingAuthenticationToken, string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pendingAuthenticationToken);
        ArgumentException.ThrowIfNullOrEmpty(code);
        return AuthenticateAsync("email_verification", new AuthenticateRequestBody
        {
            GrantType = "urn:workos:oauth:grant-type:email-verification:code",
            ClientId = RequireClientId(),
            ClientSecret = RequireApiKey(),
            PendingAuthenticationToken = pendingAuthenticationToken,
            Code = code,
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuthenticationResponse> AuthenticateWithTotpAsync(string pendingAuthenticationToken, string authenticationChallengeId, string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pendingAuthenticationToken);
        ArgumentException.ThrowIfNullOrEmpty(authenticationChallengeId);
        ArgumentException.ThrowIfNullOrEmpty(code);
        return AuthenticateAsync("mfa_totp", new AuthenticateRequestBody
        {
            GrantType = "urn:workos:oauth:grant-type:mfa-totp",
            ClientId = RequireClientId(),
            ClientSecret = RequireApiKey(),
            PendingAuthenticationToken = pendingAuthenticationToken,
            AuthenticationChallengeId = authenticationChallengeId,
            Code = code,
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string> ChallengeAuthenticationFactorAsync(string authenticationFactorId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(authenticationFactorId);
        using var request = new HttpRequestMessage(HttpMethod.Post, BuildUri("/auth/factors/" + Uri.EscapeDataString(authenticationFactorId) + "/challenge", null))
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        AddApiKey(request);
        var challenge = await GetJsonAsync(request, "challenge_factor", WorkOSJsonContext.Default.OrganizationDto, cancellationToken).ConfigureAwait(false);
        return challenge.Id ?? throw new WorkOSApiException("WorkOS returned an authentication challenge without an id.", HttpStatusCode.OK);
    }

    /// <inheritdoc />
    public Uri GetLogoutUrl(string sessionId, string? returnTo = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var query = new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["session_id"] = sessionId,
            ["return_to"] = returnTo,
        };
        return BuildUri("/user_management/sessions/logout", query);
    }

    /// <inheritdoc />
    public Uri GetJwksUrl() => WorkOSEndpoints.GetJwksUrl(_options.Value);

    /// <inheritdoc />
    public async Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        using var request = new HttpRequestMessage(HttpMethod.Post, BuildUri("/user_management/sessions/revoke", null))
        {
            Content = JsonContent.Create(new RevokeSessionRequestBody { SessionId = sessionId }, WorkOSJsonContext.Default.RevokeSessionRequestBody),
        };
        AddApiKey(request);
        using var response = await SendAsync(request, "revoke_session", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrganizationMembership>> ListOrganizationMembershipsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var query = new SortedDictionary<string, string?>(StringComparer.Ordinal) { ["statuses"] = "active", ["user_id"] = userId };
        using var request = new HttpRequestMessage(HttpMethod.Get, BuildUri("/user_management/organization_memberships", query));
        AddApiKey(request);
        var list = await GetJsonAsync(request, "list_organization_memberships", WorkOSJsonContext.Default.MembershipListDto, cancellationToken).ConfigureAwait(false);
        var result = new List<OrganizationMembership>(list.Data?.Count ?? 0);
        foreach (var m in list.Data ?? [])
        {
            if (m.Id is null || m.OrganizationId is null)
            {
                continue;
            }

            result.Add(new OrganizationMembership
            {
                Id = m.Id,
                UserId = m.UserId ?? userId,
                OrganizationId = m.OrganizationId,
                OrganizationName = m.OrganizationName,
                Role = m.Role?.Slug,
                Status = m.Status,
            });
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<Organization> GetOrganizationAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        using var request = new HttpRequestMessage(HttpMethod.Get, BuildUri("/organizations/" + Uri.EscapeDataString(organizationId), null));
        AddApiKey(request);
        var org = await GetJsonAsync(request, "get_organization", WorkOSJsonContext.Default.OrganizationDto, cancellationToken).ConfigureAwait(false);
        if (org.Id is null)
        {
            throw new WorkOSApiException("WorkOS returned an organization without an id.", HttpStatusCode.OK);
        }

        return new Organization { Id = org.Id, Name = org.Name ?? string.Empty };
    }

    private async Task<AuthenticationResponse> AuthenticateAsync(string grant, AuthenticateRequestBody body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BuildUri("/user_management/authenticate", null))
        {
            Content = JsonContent.Create(body, WorkOSJsonContext.Default.AuthenticateRequestBody),
        };
        AddApiKey(request);
        using var response = await SendAsync(request, grant, cancellationToken).ConfigureAwait(false);
        var requestId = GetRequestId(response);
        using var document = await ReadJsonAsync(response, grant, cancellationToken).ConfigureAwait(false);
        return WorkOSWire.ReadAuthenticationResponse(document.RootElement)
            ?? throw new WorkOSApiException($"WorkOS returned an incomplete authentication response ({grant}).", response.StatusCode, requestId);
    }

    private async Task<T> GetJsonAsync<T>(HttpRequestMessage request, string operation, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, operation, cancellationToken).ConfigureAwait(false);
        try
        {
            var value = await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false);
            return value ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new WorkOSApiException($"WorkOS returned a malformed response ({operation}).", response.StatusCode, GetRequestId(response), e);
        }
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException e)
        {
            throw new WorkOSApiException($"WorkOS returned a malformed response ({operation}).", response.StatusCode, GetRequestId(response), e);
        }
    }

    /// <summary>Sends the request; returns the response on 2xx, otherwise throws the typed exception.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        HttpResponseMessage response;
        var started = _timeProvider.GetTimestamp();
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            Log.RequestTimedOut(_logger, operation, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
            throw new WorkOSApiException($"WorkOS did not answer in time ({operation}).", null, null, e);
        }
        catch (HttpRequestException e)
        {
            Log.RequestFailed(_logger, operation, e.HttpRequestError);
            throw new WorkOSApiException($"WorkOS could not be reached ({operation}: {e.HttpRequestError}).", null, null, e);
        }

        if (response.IsSuccessStatusCode)
        {
            Log.RequestSucceeded(_logger, operation, (int)response.StatusCode, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }

        using (response)
        {
            var error = await CreateErrorAsync(response, operation, cancellationToken).ConfigureAwait(false);
            Log.RequestRejected(_logger, operation, (int)response.StatusCode, error.GetType().Name, error.RequestId);
            throw error;
        }
    }

    private async Task<WorkOSApiException> CreateErrorAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var requestId = GetRequestId(response);
        JsonDocument? document = null;
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (bytes.Length > 0)
            {
                document = JsonDocument.Parse(bytes);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): fall through to the generic error.
        }

        using (document)
        {
            var root = document?.RootElement ?? default;
            var code = WorkOSWire.GetString(root, "code");
            var message = SafeServerText(WorkOSWire.GetString(root, "message"));

            switch (status)
            {
                case HttpStatusCode.TooManyRequests:
                    return new WorkOSRateLimitException(ReadRetryAfter(response), requestId);
                case HttpStatusCode.Unauthorized:
                    return new WorkOSUnauthorizedException(requestId);
                case HttpStatusCode.Forbidden or HttpStatusCode.BadRequest when WorkOSWire.ReadPendingAuthentication(root, SafeServerText) is { } pending:
                    return new WorkOSAuthenticationRequiredException(pending, requestId);
                case HttpStatusCode.Forbidden when code is not null && AuthenticationStepCodes.Contains(code):
                    return new WorkOSAuthenticationRequiredException(
                        code,
                        message,
                        WorkOSWire.GetString(root, "pending_authentication_token"),
                        WorkOSWire.ReadOrganizations(root),
                        requestId);
            }

            if (WorkOSWire.GetString(root, "error") is { Length: > 0 } oauthError)
            {
                return new WorkOSOAuthException(SafeServerText(oauthError)!, SafeServerText(WorkOSWire.GetString(root, "error_description")), status, requestId);
            }

            var text = new StringBuilder()
                .Append("WorkOS answered ").Append((int)status).Append(" (").Append(operation).Append(')');
            if (code is not null)
            {
                text.Append(": ").Append(SafeServerText(code));
            }

            if (message is not null)
            {
                text.Append(code is null ? ": " : " - ").Append(message);
            }

            if (requestId is not null)
            {
                text.Append(" [request id ").Append(requestId).Append(']');
            }

            return new WorkOSApiException(text.Append('.').ToString(), status, requestId) { ErrorCode = SafeServerText(code) };
        }
    }

    private TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        // Some proxies send fractional seconds, which the typed header rejects.
        if (response.Headers.TryGetValues("Retry-After", out var raw) &&
            double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) &&
            double.IsFinite(seconds) && seconds >= 0 && seconds < int.MaxValue)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    private static string? GetRequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues(RequestIdHeader, out var values) ? SafeServerText(values.FirstOrDefault()) : null;

    /// <summary>Server text is shown to operators: cut to a sane length, control characters removed.</summary>
    private static string? SafeServerText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var span = text.AsSpan(0, Math.Min(text.Length, MaxServerMessageLength));
        var builder = new StringBuilder(span.Length);
        foreach (var c in span)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    private void AddApiKey(HttpRequestMessage request) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RequireApiKey());

    private string RequireClientId() => _options.Value.ClientId is { Length: > 0 } id
        ? id
        : throw new InvalidOperationException("AuthKit is not configured: set AuthKit:ClientId (environment variable WORKOS_CLIENT_ID).");

    private string RequireApiKey() => _options.Value.ApiKey is { Length: > 0 } key
        ? key
        : throw new InvalidOperationException("AuthKit is not configured: set AuthKit:ApiKey (environment variable WORKOS_API_KEY).");

    private Uri BuildUri(string path, SortedDictionary<string, string?>? query) => WorkOSEndpoints.BuildUri(_options.Value, path, query);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "WorkOS {Operation} answered {Status} in {ElapsedMs:0.0} ms.")]
        public static partial void RequestSucceeded(ILogger logger, string operation, int status, double elapsedMs);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "WorkOS {Operation} rejected with {Status} ({ErrorType}), request id {RequestId}.")]
        public static partial void RequestRejected(ILogger logger, string operation, int status, string errorType, string? requestId);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "WorkOS {Operation} timed out after {ElapsedMs:0} ms.")]
        public static partial void RequestTimedOut(ILogger logger, string operation, double elapsedMs);

        [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "WorkOS {Operation} failed without a response ({Error}).")]
        public static partial void RequestFailed(ILogger logger, string operation, HttpRequestError error);
    }
}
