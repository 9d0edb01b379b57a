using Microsoft.Extensions.Primitives;

namespace AuthKit.Session.Tests.Storage;

/// <summary>A minimal host: requests are cookie dictionaries, responses collect Set-Cookie values.</summary>
internal sealed class TestCookieStorage(AuthKitOptions options, bool writesToResponse = false)
    : CookieSessionStorage<IReadOnlyDictionary<string, string>, TestResponse>(options)
{
    public override ValueTask<string?> GetCookieAsync(IReadOnlyDictionary<string, string> request, string name, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(request.TryGetValue(name, out string? value) ? value : null);

    protected override ValueTask<SessionStorageResult<TestResponse>?> ApplySetCookieAsync(TestResponse? response, string setCookieHeader, CancellationToken cancellationToken)
    {
        if (!writesToResponse || response is null) return base.ApplySetCookieAsync(response, setCookieHeader, cancellationToken);
        response.SetCookies.Add(setCookieHeader);
        return ValueTask.FromResult<SessionStorageResult<TestResponse>?>(new SessionStorageResult<TestResponse>(response, null));
    }
}

internal sealed class TestResponse
{
    public List<string> SetCookies { get; } = [];
}

internal static class HeaderExtensions
{
    public static string SingleSetCookie(this SessionStorageResult<TestResponse> result) =>
        Assert.Single(result.Headers![CookieSessionStorage<object, object>.SetCookieHeaderName]!)!;

    public static StringValues SetCookies(this IReadOnlyDictionary<string, StringValues> headers) => headers["set-cookie"];
}
