using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.WorkOS;

public sealed class CachingWorkOSApiKeysTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedApiKeys _workos = new();

    private CachingWorkOSApiKeys Create(TimeSpan? duration = null, int size = 1000) =>
        new(_workos, Options.Create(new AuthKitCoreOptions { ApiKeyCacheDuration = duration ?? TimeSpan.FromSeconds(60), ApiKeyCacheSize = size }), _time);

    private static WorkOSApiKey Key(string id, DateTimeOffset? expiresAt = null) => new()
    {
        Id = id, Name = id, Owner = new WorkOSApiKeyOwner { Type = "organization", Id = "org_acme" }, Permissions = ["posts:read"], ExpiresAt = expiresAt,
    };

    [Fact]
    public async Task A_valid_key_is_served_from_the_cache_until_the_duration_ends()
    {
        _workos.Answers["sk_good"] = ApiKeyValidation.Valid(Key("api_key_good"));
        var cache = Create();

        var first = await cache.ValidateAsync("sk_good");
        _time.Advance(TimeSpan.FromSeconds(59));
        var second = await cache.ValidateAsync("sk_good");
        _time.Advance(TimeSpan.FromSeconds(1));
        var third = await cache.ValidateAsync("sk_good");

        Assert.True(first.IsValid);
        Assert.Same(first, second);
        Assert.True(third.IsValid);
        Assert.Equal(["sk_good", "sk_good"], _workos.Calls);
    }

    [Fact]
    public async Task Invalid_keys_and_failures_are_never_cached()
    {
        _workos.Answers["sk_bad"] = ApiKeyValidation.Invalid;
        _workos.Answers["sk_down"] = ApiKeyValidation.Unavailable(new WorkOSApiException("down", HttpStatusCode.ServiceUnavailable));
        var cache = Create();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ApiKeyValidationStatus.Invalid, (await cache.ValidateAsync("sk_bad")).Status);
            Assert.Equal(ApiKeyValidationStatus.Unavailable, (await cache.ValidateAsync("sk_down")).Status);
        }

        Assert.Equal(6, _workos.Calls.Count);
        Assert.Equal(0, cache.Count);

        // A key that just became valid (created a moment ago) works at once.
        _workos.Answers["sk_bad"] = ApiKeyValidation.Valid(Key("api_key_new"));
        Assert.True((await cache.ValidateAsync("sk_bad")).IsValid);
    }

    [Fact]
    public async Task A_key_is_never_cached_past_its_own_expiry()
    {
        _workos.Answers["sk_short"] = ApiKeyValidation.Valid(Key("api_key_short", _time.GetUtcNow().AddSeconds(10)));
        var cache = Create();

        await cache.ValidateAsync("sk_short");
        _time.Advance(TimeSpan.FromSeconds(9));
        await cache.ValidateAsync("sk_short");
        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.ValidateAsync("sk_short");

        Assert.Equal(2, _workos.Calls.Count);
    }

    [Fact]
    public async Task Zero_duration_disables_the_cache()
    {
        _workos.Answers["sk_good"] = ApiKeyValidation.Valid(Key("api_key_good"));
        var cache = Create(TimeSpan.Zero);

        await cache.ValidateAsync("sk_good");
        await cache.ValidateAsync("sk_good");

        Assert.Equal(2, _workos.Calls.Count);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task The_cache_stays_within_its_size()
    {
        var cache = Create(size: 8);
        for (var i = 0; i < 100; i++)
        {
            _workos.Answers["sk_key_" + i] = ApiKeyValidation.Valid(Key("api_key_" + i));
            await cache.ValidateAsync("sk_key_" + i);
            Assert.InRange(cache.Count, 1, 8);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_or_oversized_values_are_invalid_without_a_call(string value)
    {
        var cache = Create();

        Assert.Equal(ApiKeyValidationStatus.Invalid, (await cache.ValidateAsync(value)).Status);
        Assert.Equal(ApiKeyValidationStatus.Invalid, (await cache.ValidateAsync("sk_" + new string('x', 600))).Status);
        Assert.Empty(_workos.Calls);
    }

    [Fact]
    public async Task The_cache_keeps_a_hash_never_the_key()
    {
        _workos.Answers["sk_secret_value_123"] = ApiKeyValidation.Valid(Key("api_key_1"));
        var cache = Create();
        await cache.ValidateAsync("sk_secret_value_123");

        var entries = typeof(CachingWorkOSApiKeys).GetField("_entries", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(cache)!;
        var keys = ((System.Collections.IDictionary)entries).Keys.Cast<object>().Select(k => k.ToString()!).ToList();

        Assert.Single(keys);
        Assert.DoesNotContain("sk_secret_value_123", keys[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_validations_of_one_key_share_one_call_and_one_caller_giving_up_does_not_fail_the_others()
    {
        _workos.Answers["sk_burst"] = ApiKeyValidation.Valid(Key("api_key_burst"));
        _workos.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cache = Create();
        using var impatient = new CancellationTokenSource();

        var waiting = Enumerable.Range(0, 20).Select(_ => cache.ValidateAsync("sk_burst")).ToList();
        var cancelled = cache.ValidateAsync("sk_burst", impatient.Token);
        await _workos.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await impatient.CancelAsync();
        _workos.Gate.SetResult();
        var results = await Task.WhenAll(waiting);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.All(results, r => Assert.Equal("api_key_burst", r.ApiKey!.Id));
        Assert.Single(_workos.Calls);
        Assert.True((await cache.ValidateAsync("sk_burst")).IsValid);
        Assert.Single(_workos.Calls);
    }

    private sealed class ScriptedApiKeys : IWorkOSApiKeys
    {
        public Dictionary<string, ApiKeyValidation> Answers { get; } = [];
        public List<string> Calls { get; } = [];
        public TaskCompletionSource? Gate { get; set; }
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ApiKeyValidation> ValidateAsync(string value, CancellationToken cancellationToken = default)
        {
            lock (Calls)
            {
                Calls.Add(value);
            }

            Started.TrySetResult();
            if (Gate is { } gate)
            {
                await gate.Task;
            }

            return Answers.TryGetValue(value, out var answer) ? answer : ApiKeyValidation.Invalid;
        }
    }
}
