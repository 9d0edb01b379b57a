using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthKit.Session;
using Microsoft.Extensions.Logging;

namespace AuthKit.Testing.Internal;

/// <summary>The emulator's state and grant logic, shared by the HTTP endpoints and the in-process control surface.</summary>
internal sealed class EmulatorService
{
    public const string GrantAuthorizationCode = "authorization_code";
    public const string GrantRefreshToken = "refresh_token";
    public const string GrantOrganizationSelection = "urn:workos:oauth:grant-type:organization-selection";
    public const string GrantEmailVerification = "urn:workos:oauth:grant-type:email-verification:code";
    public const string GrantEmailVerificationLegacy = "urn:workos:oauth:grant-type:email-verification";
    public const string GrantMfaTotp = "urn:workos:oauth:grant-type:mfa-totp";

    private readonly Lock _gate = new();
    private readonly WorkOSEmulatorOptions _options;
    private readonly OffsetTimeProvider _clock;
    private readonly SigningKeyRing _keys;
    private readonly ILogger _logger;

    private readonly Dictionary<string, UserRecord> _users = new(StringComparer.Ordinal);
    private readonly List<UserRecord> _userOrder = [];
    private readonly Dictionary<string, OrgRecord> _orgs = new(StringComparer.Ordinal);
    private readonly List<MembershipRecord> _memberships = [];
    private readonly Dictionary<string, RoleRecord> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshRecord> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CodeRecord> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingRecord> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthRequest> _authRequests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BrowserSignIn> _browserSignIns = new(StringComparer.Ordinal);
    private readonly List<EmailVerificationRecord> _emailVerifications = [];
    private readonly Dictionary<string, ChallengeRecord> _challenges = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string> _lastAuthorizeQuery = new Dictionary<string, string>();
    private int _mutations;
    private string? _autoSignInEmail;
    private string? _autoSignInOrganizationId;

    public EmulatorService(WorkOSEmulatorOptions options, OffsetTimeProvider clock, SigningKeyRing keys, ILogger logger)
    {
        _options = options;
        _clock = clock;
        _keys = keys;
        _logger = logger;
        _autoSignInEmail = options.AutoSignInEmail;
        _autoSignInOrganizationId = options.AutoSignInOrganizationId;
        Counters = new RequestCounters();
        LoadSeed(options.Seed);
    }

    public RequestCounters Counters { get; }

    public WorkOSEmulatorOptions Options => _options;

    public TimeProvider Clock => _clock;

    /// <summary>The <c>iss</c> claim; set once the port is known.</summary>
    public string Issuer { get; set; } = "";

    public (string? Email, string? OrganizationId) AutoSignIn
    {
        get
        {
            lock (_gate)
            {
                return (_autoSignInEmail, _autoSignInOrganizationId);
            }
        }
    }

    public void SetAutoSignIn(string? email, string? organizationId)
    {
        lock (_gate)
        {
            if (email is not null && FindUserByEmailLocked(email) is null)
            {
                throw new ArgumentException($"No seeded user has the email '{email}'.", nameof(email));
            }

            _autoSignInEmail = email;
            _autoSignInOrganizationId = organizationId;
        }
    }

    // ---------------------------------------------------------------- seed and lookups

    private void LoadSeed(EmulatorSeed seed)
    {
        seed.Validate();
        var now = _clock.GetUtcNow();
        foreach (var role in seed.Roles)
        {
            _roles[role.Slug] = new RoleRecord { Slug = role.Slug, Name = role.Name ?? role.Slug, Permissions = [.. role.Permissions] };
        }

        foreach (var u in seed.Users)
        {
            var user = new UserRecord
            {
                Id = u.Id,
                Email = u.Email,
                FirstName = u.FirstName,
                LastName = u.LastName,
                Password = u.Password,
                EmailVerified = u.EmailVerified,
                TotpSecret = u.TotpSecret,
                PicksOrganizationInApplication = u.PicksOrganizationInApplication,
                ProfilePictureUrl = u.ProfilePictureUrl,
                ExternalId = u.ExternalId,
                Locale = u.Locale,
                Metadata = new Dictionary<string, string>(u.Metadata, StringComparer.Ordinal),
                Impersonator = u.Impersonator is { } imp ? new Impersonator { Email = imp.Email, Reason = imp.Reason } : null,
                FeatureFlags = [.. u.FeatureFlags],
                CreatedAt = now,
                UpdatedAt = now,
            };
            _users[user.Id] = user;
            _userOrder.Add(user);
        }

        foreach (var o in seed.Organizations)
        {
            _orgs[o.Id] = new OrgRecord { Id = o.Id, Name = o.Name, Entitlements = [.. o.Entitlements], FeatureFlags = [.. o.FeatureFlags], CreatedAt = now };
            foreach (var m in o.Memberships)
            {
                _memberships.Add(new MembershipRecord
                {
                    Id = m.Id ?? Ids.New("om_"),
                    UserId = m.UserId,
                    OrgId = o.Id,
                    Role = m.Role,
                    Status = m.Status,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }
        }
    }

    public IReadOnlyList<UserRecord> Users
    {
        get
        {
            lock (_gate)
            {
                return [.. _userOrder];
            }
        }
    }

    public UserRecord? FindUser(string? id)
    {
        lock (_gate)
        {
            return id is not null && _users.TryGetValue(id, out var u) ? u : null;
        }
    }

    public UserRecord? FindUserByEmail(string? email)
    {
        lock (_gate)
        {
            return FindUserByEmailLocked(email);
        }
    }

    private UserRecord? FindUserByEmailLocked(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : _userOrder.Find(u => string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Active memberships of a user with their organizations, in seed order.</summary>
    public IReadOnlyList<(MembershipRecord Membership, OrgRecord Organization)> ActiveMemberships(string userId)
    {
        lock (_gate)
        {
            return [.. _memberships.Where(m => m.UserId == userId && m.Status == "active").Select(m => (m, _orgs[m.OrgId]))];
        }
    }

    /// <summary>Every membership (any status) with its organization, in seed order.</summary>
    public IReadOnlyList<(MembershipRecord Membership, OrgRecord Organization)> AllMemberships()
    {
        lock (_gate)
        {
            return [.. _memberships.Select(m => (m, _orgs[m.OrgId]))];
        }
    }

    public OrgRecord? FindOrganization(string? id)
    {
        lock (_gate)
        {
            return id is not null && _orgs.TryGetValue(id, out var o) ? o : null;
        }
    }

    private MembershipRecord? ActiveMembershipLocked(string userId, string orgId) =>
        _memberships.Find(m => m.UserId == userId && m.OrgId == orgId && m.Status == "active");

    public bool IsActiveMember(string userId, string orgId)
    {
        lock (_gate)
        {
            return ActiveMembershipLocked(userId, orgId) is not null;
        }
    }

    public UserRecord CreateUser(string email, string? firstName, string? lastName, string password)
    {
        lock (_gate)
        {
            if (FindUserByEmailLocked(email) is not null)
            {
                throw new InvalidOperationException("A user with this email already exists.");
            }

            var now = _clock.GetUtcNow();
            var user = new UserRecord
            {
                Id = Ids.New("user_"),
                Email = email.Trim(),
                FirstName = firstName,
                LastName = lastName,
                Password = password,
                EmailVerified = true,
                CreatedAt = now,
                UpdatedAt = now,
            };
            _users[user.Id] = user;
            _userOrder.Add(user);
            return user;
        }
    }

    // ---------------------------------------------------------------- control surface

    public void SetMembershipRole(string userId, string organizationId, string role)
    {
        lock (_gate)
        {
            var membership = _memberships.Find(m => m.UserId == userId && m.OrgId == organizationId)
                ?? throw new KeyNotFoundException($"User '{userId}' has no membership in organization '{organizationId}'.");
            if (!_roles.ContainsKey(role))
            {
                throw new ArgumentException($"Role '{role}' is not defined in the seed.", nameof(role));
            }

            membership.Role = role;
            membership.UpdatedAt = _clock.GetUtcNow();
        }
    }

    public void SetMembershipStatus(string userId, string organizationId, string status)
    {
        if (status is not ("active" or "inactive" or "pending"))
        {
            throw new ArgumentException("Status must be active, inactive or pending.", nameof(status));
        }

        lock (_gate)
        {
            var membership = _memberships.Find(m => m.UserId == userId && m.OrgId == organizationId)
                ?? throw new KeyNotFoundException($"User '{userId}' has no membership in organization '{organizationId}'.");
            membership.Status = status;
            membership.UpdatedAt = _clock.GetUtcNow();
        }
    }

    /// <summary>Ends a session (and the browser sign-in it came from). Returns false when unknown.</summary>
    public bool EndSession(string sessionId)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sessionId, out var session))
            {
                return false;
            }

            session.Ended = true;
            if (session.BrowserSignInId is { } browserId && _browserSignIns.TryGetValue(browserId, out var browser))
            {
                browser.Ended = true;
            }

            return true;
        }
    }

    public bool IsSessionActive(string sessionId)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(sessionId, out var s) && IsActiveLocked(s, _clock.GetUtcNow());
        }
    }

    public (string UserId, string? OrganizationId, bool Active, int Refreshes, int RejectedRefreshes)? DescribeSession(string sessionId)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(sessionId, out var s) ? (s.UserId, s.OrgId, IsActiveLocked(s, _clock.GetUtcNow()), s.Refreshes, s.RejectedRefreshes) : null;
        }
    }

    private bool IsActiveLocked(SessionRecord s, DateTimeOffset now) =>
        !s.Ended && _refreshTokens.TryGetValue(s.CurrentRefreshToken, out var r) && !r.Used && now < r.ExpiresAt;

    public int ActiveSessionCount()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            return _sessions.Values.Count(s => IsActiveLocked(s, now));
        }
    }

    // ---------------------------------------------------------------- browser sign-in and sign-in page requests

    public BrowserSignIn CreateBrowserSignIn(string userId, DateTimeOffset authTime)
    {
        var browser = new BrowserSignIn { Id = Ids.Secret(), UserId = userId, AuthTime = authTime };
        lock (_gate)
        {
            _browserSignIns[browser.Id] = browser;
        }

        return browser;
    }

    public BrowserSignIn? FindBrowserSignIn(string? id)
    {
        lock (_gate)
        {
            return id is not null && _browserSignIns.TryGetValue(id, out var b) && !b.Ended && _users.ContainsKey(b.UserId) ? b : null;
        }
    }

    public void EndBrowserSignIn(string? id)
    {
        lock (_gate)
        {
            if (id is not null && _browserSignIns.TryGetValue(id, out var b))
            {
                b.Ended = true;
            }
        }
    }

    public void AddAuthRequest(AuthRequest request)
    {
        lock (_gate)
        {
            _authRequests[request.Id] = request;
            NoteMutationLocked();
        }
    }

    public AuthRequest? FindAuthRequest(string? id)
    {
        lock (_gate)
        {
            return id is not null && _authRequests.TryGetValue(id, out var r) && !r.Completed && _clock.GetUtcNow() < r.ExpiresAt ? r : null;
        }
    }

    // ---------------------------------------------------------------- codes

    /// <summary>Issues a single-use code bound to the PKCE challenge and to an organization (or to a later organization selection).</summary>
    public string IssueCode(string challenge, string userId, string? orgId, bool needsOrganizationSelection, DateTimeOffset authTime, string method, string? browserSignInId)
    {
        var code = Ids.Secret();
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            _codes[code] = new CodeRecord
            {
                ClientId = _options.ClientId,
                Challenge = challenge,
                UserId = userId,
                OrgId = orgId,
                NeedsOrganizationSelection = needsOrganizationSelection && orgId is null,
                AuthTime = authTime,
                Method = method,
                ExpiresAt = now + _options.CodeLifetime,
                BrowserSignInId = browserSignInId,
            };
            if (_users.TryGetValue(userId, out var user))
            {
                user.LastSignInAt = now;
            }

            NoteMutationLocked();
        }

        return code;
    }

    // ---------------------------------------------------------------- grants

    public ApiAnswer ExchangeCode(string code, string verifier)
    {
        string payload;
        JsonObject body;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            // Single use: the code dies on its first presentation, whatever the outcome.
            if (!_codes.Remove(code, out var record))
            {
                Log.GrantRejected(_logger, GrantAuthorizationCode, "unknown or used code");
                return WireErrors.OAuthError("invalid_grant", "The code is invalid, expired, or has already been used.");
            }

            if (now >= record.ExpiresAt)
            {
                Log.GrantRejected(_logger, GrantAuthorizationCode, "expired code");
                return WireErrors.OAuthError("invalid_grant", "The code is invalid, expired, or has already been used.");
            }

            if (!Ids.FixedTimeEquals(Ids.S256(verifier), record.Challenge))
            {
                Log.GrantRejected(_logger, GrantAuthorizationCode, "code_verifier does not match code_challenge");
                return WireErrors.OAuthError("invalid_grant", "The code_verifier does not match the code_challenge.");
            }

            if (!_users.TryGetValue(record.UserId, out var user))
            {
                return WireErrors.OAuthError("invalid_grant", "The user no longer exists.");
            }

            var flow = new PendingRecord
            {
                UserId = user.Id,
                AuthTime = record.AuthTime,
                Method = record.Method,
                BrowserSignInId = record.BrowserSignInId,
                OrgId = record.OrgId,
                NeedsOrganizationSelection = record.NeedsOrganizationSelection,
            };
            if (ContinueLocked(user, flow, now, out var orgId) is { } step)
            {
                return step;
            }

            (payload, body) = CompleteLocked(user, flow, orgId, now);
        }

        return Finish(payload, body);
    }

    /// <summary>
    /// The continuation checks WorkOS runs before it issues a session, in its order: an unverified email
    /// (<c>email_verification_required</c>), an enrolled second factor (<c>mfa_challenge</c>), then several organizations
    /// and none chosen (<c>organization_selection_required</c>). Returns the 403 answer of the first step still open, or
    /// null with the organization to scope the session to.
    /// </summary>
    private ApiAnswer? ContinueLocked(UserRecord user, PendingRecord flow, DateTimeOffset now, out string? orgId)
    {
        orgId = flow.OrgId;
        if (!user.EmailVerified)
        {
            var token = NewPendingLocked(flow, now, mfaPassed: flow.MfaPassed);
            var verification = new EmailVerificationRecord
            {
                Id = Ids.New("email_verification_"),
                UserId = user.Id,
                Email = user.Email,
                Code = Ids.Digits(6),
                CreatedAt = now,
                ExpiresAt = now + _options.EmailVerificationCodeLifetime,
            };
            _emailVerifications.RemoveAll(v => v.UserId == user.Id);
            _emailVerifications.Add(verification);
            Log.ContinuationRequired(_logger, "email_verification_required", user.Id);
            return new ApiAnswer(403, new JsonObject
            {
                ["code"] = "email_verification_required",
                ["message"] = "Email ownership must be verified before authentication.",
                ["pending_authentication_token"] = token,
                ["email_verification_id"] = verification.Id,
                ["email"] = user.Email,
                ["user"] = WireJson.User(user),
            });
        }

        if (user.TotpSecret is not null && !flow.MfaPassed)
        {
            var token = NewPendingLocked(flow, now, mfaPassed: false);
            var challenge = NewChallengeLocked(user, now);
            Log.ContinuationRequired(_logger, "mfa_challenge", user.Id);
            return new ApiAnswer(403, new JsonObject
            {
                ["code"] = "mfa_challenge",
                ["message"] = "Multi-factor authentication is required to continue.",
                ["pending_authentication_token"] = token,
                ["authentication_factors"] = new JsonArray(WireJson.TotpFactor(FactorId(user), user, _options.ClientId)),
                ["authentication_challenge"] = WireJson.Challenge(challenge),
                ["user"] = WireJson.User(user),
            });
        }

        if (orgId is null && flow.NeedsOrganizationSelection)
        {
            var orgs = _memberships.Where(m => m.UserId == user.Id && m.Status == "active").Select(m => _orgs[m.OrgId]).ToList();
            if (orgs.Count > 1)
            {
                var token = NewPendingLocked(flow, now, mfaPassed: true);
                Log.OrganizationSelectionRequired(_logger, user.Id, orgs.Count);
                return new ApiAnswer(403, new JsonObject
                {
                    ["code"] = "organization_selection_required",
                    ["message"] = "The user must choose an organization to finish their authentication.",
                    ["pending_authentication_token"] = token,
                    ["organizations"] = new JsonArray([.. orgs.Select(o => (JsonNode)new JsonObject { ["id"] = o.Id, ["name"] = o.Name })]),
                    ["user"] = WireJson.User(user),
                });
            }

            // Memberships changed since the code was issued: the usual rule.
            orgId = orgs.Count == 1 ? orgs[0].Id : null;
        }

        return null;
    }

    private string NewPendingLocked(PendingRecord flow, DateTimeOffset now, bool mfaPassed)
    {
        var token = Ids.Secret();
        _pending[token] = new PendingRecord
        {
            UserId = flow.UserId,
            AuthTime = flow.AuthTime,
            Method = flow.Method,
            BrowserSignInId = flow.BrowserSignInId,
            OrgId = flow.OrgId,
            NeedsOrganizationSelection = flow.NeedsOrganizationSelection,
            MfaPassed = mfaPassed,
            ExpiresAt = now + _options.CodeLifetime,
        };
        NoteMutationLocked();
        return token;
    }

    private ChallengeRecord NewChallengeLocked(UserRecord user, DateTimeOffset now)
    {
        var challenge = new ChallengeRecord
        {
            Id = Ids.New("auth_challenge_"),
            UserId = user.Id,
            FactorId = FactorId(user),
            CreatedAt = now,
            ExpiresAt = now + _options.AuthenticationChallengeLifetime,
        };
        _challenges[challenge.Id] = challenge;
        return challenge;
    }

    /// <summary>The id of a user's seeded TOTP factor (stable, so tests can name it).</summary>
    public static string FactorId(UserRecord user) => "auth_factor_" + user.Id;

    private (string Payload, JsonObject Body) CompleteLocked(UserRecord user, PendingRecord flow, string? orgId, DateTimeOffset now)
    {
        var session = CreateSessionLocked(user, orgId, flow.AuthTime, flow.BrowserSignInId);
        var (payload, body) = BuildTokensLocked(session, user, now);
        body["authentication_method"] = user.Impersonator is null ? flow.Method : "Impersonation";
        Log.SessionCreated(_logger, session.Id, user.Id, orgId ?? "(none)");
        return (payload, body);
    }

    /// <summary>Takes a live pending record (not consumed), or answers WorkOS's <c>invalid_pending_authentication_token</c>.</summary>
    private ApiAnswer? FindPendingLocked(string grant, string pendingToken, DateTimeOffset now, out PendingRecord record, out UserRecord user)
    {
        user = null!;
        if (!_pending.TryGetValue(pendingToken, out record!) || now >= record.ExpiresAt || !_users.TryGetValue(record.UserId, out user!))
        {
            _pending.Remove(pendingToken);
            Log.GrantRejected(_logger, grant, "unknown, used or expired pending authentication token");
            return WireErrors.ApiError(400, "invalid_pending_authentication_token", "Invalid pending authentication token");
        }

        return null;
    }

    /// <summary><c>urn:workos:oauth:grant-type:email-verification:code</c>: the code sent for the pending sign-in's user.</summary>
    public ApiAnswer VerifyEmail(string pendingToken, string code)
    {
        string payload;
        JsonObject body;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (FindPendingLocked(GrantEmailVerification, pendingToken, now, out var record, out var user) is { } rejected)
            {
                return rejected;
            }

            var verification = _emailVerifications.Find(v => v.UserId == user.Id && Ids.FixedTimeEquals(v.Code, code));
            if (verification is null)
            {
                Log.GrantRejected(_logger, GrantEmailVerification, "wrong code");
                return WireErrors.ApiError(400, "invalid_code", "Invalid code");
            }

            if (now >= verification.ExpiresAt)
            {
                Log.GrantRejected(_logger, GrantEmailVerification, "expired code");
                return WireErrors.ApiError(400, "expired_code", "Code has expired");
            }

            _emailVerifications.Remove(verification);
            _pending.Remove(pendingToken);
            user.EmailVerified = true;
            user.UpdatedAt = now;
            if (ContinueLocked(user, record, now, out var orgId) is { } step)
            {
                return step;
            }

            (payload, body) = CompleteLocked(user, record, orgId, now);
        }

        return Finish(payload, body);
    }

    /// <summary><c>urn:workos:oauth:grant-type:mfa-totp</c>: a TOTP code for a challenge of the pending sign-in's user.</summary>
    public ApiAnswer VerifyTotp(string pendingToken, string challengeId, string code)
    {
        string payload;
        JsonObject body;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (FindPendingLocked(GrantMfaTotp, pendingToken, now, out var record, out var user) is { } rejected)
            {
                return rejected;
            }

            if (!_challenges.TryGetValue(challengeId, out var challenge) || challenge.UserId != user.Id)
            {
                Log.GrantRejected(_logger, GrantMfaTotp, "unknown authentication challenge");
                return WireErrors.OAuthError("invalid_request", "Invalid authentication challenge.");
            }

            if (now >= challenge.ExpiresAt)
            {
                _challenges.Remove(challengeId);
                Log.GrantRejected(_logger, GrantMfaTotp, "expired challenge");
                return WireErrors.ApiError(400, "expired_challenge", "Challenge has expired");
            }

            if (user.TotpSecret is null || !EmulatorTotp.Verify(user.TotpSecret, code, now))
            {
                Log.GrantRejected(_logger, GrantMfaTotp, "wrong one-time code");
                return WireErrors.ApiError(400, "invalid_one_time_code", "Invalid one-time code");
            }

            _challenges.Remove(challengeId);
            _pending.Remove(pendingToken);
            var passed = new PendingRecord
            {
                UserId = record.UserId,
                AuthTime = record.AuthTime,
                Method = record.Method,
                BrowserSignInId = record.BrowserSignInId,
                OrgId = record.OrgId,
                NeedsOrganizationSelection = record.NeedsOrganizationSelection,
                MfaPassed = true,
            };
            if (ContinueLocked(user, passed, now, out var orgId) is { } step)
            {
                return step;
            }

            (payload, body) = CompleteLocked(user, passed, orgId, now);
        }

        return Finish(payload, body);
    }

    /// <summary><c>POST /auth/factors/{id}/challenge</c>: a new challenge for a seeded TOTP factor.</summary>
    public ApiAnswer ChallengeFactor(string factorId)
    {
        lock (_gate)
        {
            var user = _userOrder.Find(u => u.TotpSecret is not null && FactorId(u) == factorId);
            if (user is null)
            {
                return WireErrors.NotFound("Authentication factor not found.");
            }

            return new ApiAnswer(201, WireJson.Challenge(NewChallengeLocked(user, _clock.GetUtcNow())));
        }
    }

    /// <summary>The newest email verification sent to <paramref name="email"/> (expired ones included), or null.</summary>
    public EmailVerificationRecord? LatestEmailVerification(string email)
    {
        lock (_gate)
        {
            return FindUserByEmailLocked(email) is { } user ? _emailVerifications.FindLast(v => v.UserId == user.Id) : null;
        }
    }

    /// <summary>The query of the newest <c>GET /user_management/authorize</c> that passed validation.</summary>
    public IReadOnlyDictionary<string, string> LastAuthorizeQuery
    {
        get
        {
            lock (_gate)
            {
                return _lastAuthorizeQuery;
            }
        }

        set
        {
            lock (_gate)
            {
                _lastAuthorizeQuery = value;
            }
        }
    }

    public ApiAnswer Refresh(string refreshToken, string? organizationId)
    {
        string payload;
        JsonObject body;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (!_refreshTokens.TryGetValue(refreshToken, out var record))
            {
                return RejectRefreshLocked("unknown refresh token");
            }

            var session = _sessions[record.SessionId];
            if (record.Used)
            {
                return RejectRefreshLocked("refresh token already used (replay)", session);
            }

            if (now >= record.ExpiresAt)
            {
                return RejectRefreshLocked("refresh token expired", session);
            }

            if (session.Ended)
            {
                return RejectRefreshLocked("session ended", session);
            }

            var user = _users[session.UserId];
            var targetOrg = session.OrgId;
            if (!string.IsNullOrEmpty(organizationId) && organizationId != session.OrgId)
            {
                if (ActiveMembershipLocked(user.Id, organizationId) is null)
                {
                    // Refused switch: the refresh token stays valid and the session keeps its organization.
                    Log.GrantRejected(_logger, GrantRefreshToken, "organization switch refused: no active membership");
                    return WireErrors.OAuthError("invalid_request", $"The user is not an active member of organization '{organizationId}'.");
                }

                targetOrg = organizationId;
            }
            else if (targetOrg is not null && ActiveMembershipLocked(user.Id, targetOrg) is null)
            {
                targetOrg = null;
            }

            record.Used = true;
            session.OrgId = targetOrg;
            session.Refreshes++;
            (payload, body) = BuildTokensLocked(session, user, now);
            Log.SessionRefreshed(_logger, session.Id, targetOrg ?? "(none)");
        }

        return Finish(payload, body);
    }

    public ApiAnswer SelectOrganization(string pendingToken, string organizationId)
    {
        string payload;
        JsonObject body;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (FindPendingLocked(GrantOrganizationSelection, pendingToken, now, out var record, out var user) is { } rejected)
            {
                return rejected;
            }

            if (!_orgs.ContainsKey(organizationId))
            {
                return WireErrors.NotFound("Organization not found");
            }

            // Checked before the token is consumed: a wrong choice can be retried with the right one.
            if (ActiveMembershipLocked(user.Id, organizationId) is null)
            {
                Log.GrantRejected(_logger, GrantOrganizationSelection, "no active membership in the chosen organization");
                return WireErrors.ApiError(400, "organization_membership_not_found", "The user is not an active member of the selected organization");
            }

            _pending.Remove(pendingToken);
            (payload, body) = CompleteLocked(user, record, organizationId, now);
        }

        return Finish(payload, body);
    }

    /// <summary>Creates a session directly (no code), for tests that need tokens quickly.</summary>
    public ApiAnswer SignInDirect(UserRecord user, string? orgId)
    {
        string payload;
        JsonObject body;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            user.LastSignInAt = now;
            var session = CreateSessionLocked(user, orgId, now, null);
            (payload, body) = BuildTokensLocked(session, user, now);
            body["authentication_method"] = user.Impersonator is null ? "Password" : "Impersonation";
        }

        return Finish(payload, body);
    }

    /// <summary>Counts (for the token's session, when known) and logs a rejected refresh grant; answers invalid_grant.</summary>
    private ApiAnswer RejectRefreshLocked(string reason, SessionRecord? session = null)
    {
        if (session is not null)
        {
            session.RejectedRefreshes++;
        }

        Counters.Increment(RequestCounters.RejectedRefreshTokens);
        Log.GrantRejected(_logger, GrantRefreshToken, reason);
        return WireErrors.OAuthError("invalid_grant", "The refresh token is invalid, expired, revoked, or has already been used.");
    }

    private SessionRecord CreateSessionLocked(UserRecord user, string? orgId, DateTimeOffset authTime, string? browserSignInId)
    {
        var session = new SessionRecord
        {
            Id = Ids.New("session_"),
            UserId = user.Id,
            OrgId = orgId,
            AuthTime = authTime,
            Impersonator = user.Impersonator,
            BrowserSignInId = browserSignInId,
        };
        _sessions[session.Id] = session;
        NoteMutationLocked();
        return session;
    }

    /// <summary>Rotates the session's refresh token and builds the unsigned access-token payload and the response body.</summary>
    private (string Payload, JsonObject Body) BuildTokensLocked(SessionRecord session, UserRecord user, DateTimeOffset now)
    {
        var refreshToken = Ids.Secret();
        _refreshTokens[refreshToken] = new RefreshRecord { SessionId = session.Id, ExpiresAt = now + _options.RefreshTokenLifetime };
        session.CurrentRefreshToken = refreshToken;
        NoteMutationLocked();

        var payload = BuildPayloadLocked(session, user, now);
        var body = new JsonObject
        {
            ["user"] = WireJson.User(user),
            ["organization_id"] = session.OrgId,
            ["access_token"] = null,
            ["refresh_token"] = refreshToken,
        };
        if (session.Impersonator is { } imp)
        {
            body["impersonator"] = new JsonObject { ["email"] = imp.Email, ["reason"] = imp.Reason };
        }

        return (payload, body);
    }

    private string BuildPayloadLocked(SessionRecord session, UserRecord user, DateTimeOffset now)
    {
        var iat = now.ToUnixTimeSeconds();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("sub", user.Id);
            w.WriteString("sid", session.Id);
            w.WriteString("jti", Ids.New(""));
            var flags = new List<string>();
            if (session.OrgId is { } orgId && _orgs.TryGetValue(orgId, out var org))
            {
                var membership = ActiveMembershipLocked(user.Id, orgId);
                var role = membership is not null && _roles.TryGetValue(membership.Role, out var r) ? r : null;
                w.WriteString("org_id", orgId);
                if (role is not null)
                {
                    w.WriteString("role", role.Slug);
                    WriteArray(w, "roles", [role.Slug]);
                    WriteArray(w, "permissions", role.Permissions);
                }

                WriteArray(w, "entitlements", org.Entitlements);
                flags.AddRange(org.FeatureFlags);
            }

            foreach (var flag in user.FeatureFlags)
            {
                if (!flags.Contains(flag))
                {
                    flags.Add(flag);
                }
            }

            WriteArray(w, "feature_flags", flags);
            if (session.Impersonator is { } imp)
            {
                w.WriteStartObject("act");
                w.WriteString("sub", imp.Email);
                w.WriteEndObject();
            }

            w.WriteString("client_id", _options.ClientId);
            w.WriteNumber("auth_time", session.AuthTime.ToUnixTimeSeconds());
            w.WriteString("iss", Issuer);
            w.WriteNumber("iat", iat);
            w.WriteNumber("exp", iat + (long)Math.Ceiling(_options.AccessTokenLifetime.TotalSeconds));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    /// <summary>Signs outside the lock and completes the 200 body.</summary>
    private ApiAnswer Finish(string payload, JsonObject body)
    {
        body["access_token"] = _keys.Sign(payload);
        return new ApiAnswer(200, body);
    }

    // ---------------------------------------------------------------- housekeeping

    private void NoteMutationLocked()
    {
        if (++_mutations % 512 != 0)
        {
            return;
        }

        var now = _clock.GetUtcNow();
        foreach (var key in _codes.Where(kv => now >= kv.Value.ExpiresAt).Select(kv => kv.Key).ToList())
        {
            _codes.Remove(key);
        }

        foreach (var key in _pending.Where(kv => now >= kv.Value.ExpiresAt).Select(kv => kv.Key).ToList())
        {
            _pending.Remove(key);
        }

        foreach (var key in _authRequests.Where(kv => now >= kv.Value.ExpiresAt || kv.Value.Completed).Select(kv => kv.Key).ToList())
        {
            _authRequests.Remove(key);
        }

        foreach (var key in _refreshTokens.Where(kv => now >= kv.Value.ExpiresAt).Select(kv => kv.Key).ToList())
        {
            _refreshTokens.Remove(key);
        }
    }
}
