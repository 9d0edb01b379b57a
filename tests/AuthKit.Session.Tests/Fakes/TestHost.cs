using Microsoft.Extensions.Primitives;

namespace AuthKit.Session.Tests.Fakes;

/// <summary>A host request: just its cookies.</summary>
public sealed class TestRequest
{
    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);
}

/// <summary>A host response collecting <c>Set-Cookie</c> values.</summary>
public sealed class TestResponse
{
    public List<string> SetCookies { get; } = [];
}

/// <summary>
/// A storage adapter built on <see cref="CookieSessionStorage{TRequest, TResponse}"/>: writes into the response when
/// <paramref name="writeToResponse"/> is set, otherwise hands the headers back.
/// </summary>
public sealed class TestCookieStorage(AuthKitOptions options, bool writeToResponse) : CookieSessionStorage<TestRequest, TestResponse>(options)
{
    public override ValueTask<string?> GetCookieAsync(TestRequest request, string name, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(request.Cookies.TryGetValue(name, out var value) ? value : null);

    protected override ValueTask<SessionStorageResult<TestResponse>?> ApplySetCookieAsync(TestResponse? response, string setCookieHeader, CancellationToken cancellationToken)
    {
        if (!writeToResponse)
        {
            return ValueTask.FromResult<SessionStorageResult<TestResponse>?>(null);
        }

        response ??= new TestResponse();
        response.SetCookies.Add(setCookieHeader);
        return ValueTask.FromResult<SessionStorageResult<TestResponse>?>(new SessionStorageResult<TestResponse>(response, null));
    }
}

/// <summary>A cookie jar applying <c>Set-Cookie</c> values like a browser (name/value and Max-Age=0 deletion only).</summary>
public sealed class Browser
{
    public Dictionary<string, string> Jar { get; } = new(StringComparer.Ordinal);

    public TestRequest NewRequest()
    {
        var request = new TestRequest();
        foreach (var (name, value) in Jar)
        {
            request.Cookies[name] = value;
        }

        return request;
    }

    public void Apply(IReadOnlyDictionary<string, StringValues>? headers)
    {
        if (headers is not null && headers.TryGetValue("Set-Cookie", out var values))
        {
            Apply(values.ToArray()!);
        }
    }

    public void Apply(IEnumerable<string> setCookies)
    {
        foreach (var header in setCookies)
        {
            var parsed = SetCookie.Parse(header);
            if (parsed.MaxAge == 0)
            {
                Jar.Remove(parsed.Name);
            }
            else
            {
                Jar[parsed.Name] = parsed.Value;
            }
        }
    }
}

public sealed record SetCookie(string Name, string Value, int? MaxAge, bool Secure, bool HttpOnly, string? SameSite, string? Path)
{
    public static SetCookie Parse(string header)
    {
        var parts = header.Split("; ");
        var eq = parts[0].IndexOf('=');
        int? maxAge = null;
        string? sameSite = null, path = null;
        bool secure = false, httpOnly = false;
        foreach (var attribute in parts.Skip(1))
        {
            if (attribute.StartsWith("Max-Age=", StringComparison.Ordinal)) maxAge = int.Parse(attribute["Max-Age=".Length..]);
            else if (attribute == "Secure") secure = true;
            else if (attribute == "HttpOnly") httpOnly = true;
            else if (attribute.StartsWith("SameSite=", StringComparison.Ordinal)) sameSite = attribute["SameSite=".Length..];
            else if (attribute.StartsWith("Path=", StringComparison.Ordinal)) path = attribute["Path=".Length..];
        }

        return new SetCookie(parts[0][..eq], Uri.UnescapeDataString(parts[0][(eq + 1)..]), maxAge, secure, httpOnly, sameSite, path);
    }
}

/// <summary>A core harness plus an <see cref="AuthService{TRequest, TResponse}"/> over <see cref="TestCookieStorage"/>.</summary>
public sealed class ServiceHarness : IDisposable
{
    public ServiceHarness(bool writeToResponse = false, Action<AuthKitOptions>? configure = null, Action<AuthKitCoreOptions>? core = null)
    {
        Core = new CoreHarness(core, configure);
        Storage = new TestCookieStorage(Core.Options, writeToResponse);
        Service = new AuthService<TestRequest, TestResponse>(
            Microsoft.Extensions.Options.Options.Create(Core.Options), Storage, Core.Engine, Core.Encryption);
    }

    public CoreHarness Core { get; }
    public FakeWorkOS WorkOS => Core.WorkOS;
    public SignalingTimeProvider Time => Core.Time;
    public TestCookieStorage Storage { get; }
    public AuthService<TestRequest, TestResponse> Service { get; }
    public Browser Browser { get; } = new();

    /// <summary>Puts a sealed, live session into the browser's cookie jar.</summary>
    public Session SignInDirectly(string? organizationId = null, TimeSpan? lifetime = null)
    {
        var session = Core.NewSession(organizationId, lifetime);
        Browser.Jar[AuthKitOptions.DefaultCookieName] = Core.Core.EncryptSession(session);
        return session;
    }

    public void Dispose() => Core.Dispose();
}
