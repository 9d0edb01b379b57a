using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuthKit.Blazor.WebAssembly.Tests.TestSupport;

/// <summary>
/// The server's session endpoint as the client sees it: answers each POST with the current <see cref="Answer"/> and
/// records the requests. Signals <see cref="NextRequest"/> on every request.
/// </summary>
internal sealed class FakeSessionEndpoint : HttpMessageHandler
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The answer to the next requests: status and JSON body.</summary>
    public (HttpStatusCode Status, string Body) Answer { get; set; } = (HttpStatusCode.OK, SignedIn());

    /// <summary>When set, requests fail as a network error would.</summary>
    public bool Offline { get; set; }

    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>Completes when the next request arrives.</summary>
    public Task NextRequest => _next.Task;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        var signal = Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            if (Offline)
            {
                throw new HttpRequestException("offline");
            }

            var (status, body) = Answer;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
        finally
        {
            signal.TrySetResult();
        }
    }

    /// <summary>The endpoint's answer for a live session.</summary>
    public static string SignedIn(string sessionId = "session_1", string? organizationId = "org_acme", long exp = 4_102_444_800, string role = "admin", params string[] permissions) =>
        new JsonObject
        {
            ["authenticated"] = true,
            ["sessionId"] = sessionId,
            ["expiresAt"] = exp,
            ["state"] = State(sessionId, organizationId, exp, role, permissions),
        }.ToJsonString();

    /// <summary>The endpoint's answer for an ended session.</summary>
    public static string SignedOut() => """{"authenticated":false,"sessionId":null,"expiresAt":null}""";

    /// <summary>The client state (as the server persists it) of alice's session.</summary>
    public static JsonObject State(string sessionId = "session_1", string? organizationId = "org_acme", long exp = 4_102_444_800, string role = "admin", params string[] permissions)
    {
        var claims = new JsonObject { ["sub"] = "user_alice", ["sid"] = sessionId, ["role"] = role, ["exp"] = exp };
        if (organizationId is not null)
        {
            claims["org_id"] = organizationId;
        }

        if (permissions.Length > 0)
        {
            claims["permissions"] = new JsonArray([.. permissions.Select(p => JsonValue.Create(p))]);
        }

        return new JsonObject
        {
            ["user"] = new JsonObject { ["object"] = "user", ["id"] = "user_alice", ["email"] = "alice@example.com", ["emailVerified"] = true, ["firstName"] = "Alice" },
            ["claims"] = claims,
        };
    }

    public static JsonElement StateElement(string sessionId = "session_1", string? organizationId = "org_acme", long exp = 4_102_444_800, string role = "admin", params string[] permissions) =>
        JsonSerializer.SerializeToElement(State(sessionId, organizationId, exp, role, permissions));
}
