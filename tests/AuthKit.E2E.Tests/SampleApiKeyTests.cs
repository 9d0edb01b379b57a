using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuthKit.E2E.Tests;

/// <summary>The sample's machine API (<c>/api/posts</c>, <c>AddAuthKitApiKey()</c>) called as a client would, with the demo key the sample prints.</summary>
[Collection(SampleAppCollection.Name)]
public sealed partial class SampleApiKeyTests(SampleAppFixture fixture)
{
    [Fact]
    public async Task The_printed_demo_api_key_calls_the_machine_api_and_a_wrong_one_is_refused()
    {
        var line = Assert.Single(fixture.App.Output.Split('\n'), l => l.Contains("Demo WorkOS API key", StringComparison.Ordinal));
        var match = CurlLine().Match(line);
        Assert.True(match.Success, line);
        var (key, url) = (match.Groups["key"].Value, new Uri(match.Groups["url"].Value));
        Assert.Equal(new Uri(fixture.App.BaseUri, "api/posts"), url);
        using var http = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
        using var ok = await http.SendAsync(request);
        using var wrong = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_wrong") } });
        using var none = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("api_key_demo_acme_reader", body.GetProperty("apiKeyId").GetString());
        Assert.Equal("org_acme", body.GetProperty("organizationId").GetString());
        Assert.NotEmpty(body.GetProperty("posts").EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_access_token_api_answers_rfc_6750_errors_without_a_token()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(fixture.App.BaseUri, "api/me"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex("""Authorization: Bearer (?<key>sk_[A-Za-z0-9_]+)\\?" (?<url>http\S+)""")]
    private static partial Regex CurlLine();
}
