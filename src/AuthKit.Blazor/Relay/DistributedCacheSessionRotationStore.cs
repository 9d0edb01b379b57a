using System.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace AuthKit.Blazor;

/// <summary>
/// <see cref="ISessionRotationStore"/> on an <see cref="IDistributedCache"/> (Redis, SQL Server, ...) so every server
/// sees the same relay and ended sessions. Values are sealed sessions, never plain tokens.
/// </summary>
internal sealed class DistributedCacheSessionRotationStore(IDistributedCache cache) : ISessionRotationStore
{
    private const string RotationPrefix = "authkit:rotation:";
    private const string EndedPrefix = "authkit:ended:";

    public async ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var value = Encoding.UTF8.GetBytes(rotation.SuccessorKey + "\n" + rotation.SealedSession);
        await cache.SetAsync(RotationPrefix + key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default)
    {
        var value = await cache.GetAsync(RotationPrefix + key, cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(value);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline <= 0 ? null : new SessionRotation(text[(newline + 1)..], text[..newline]);
    }

    public async ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        await cache.SetAsync(EndedPrefix + key, [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default) =>
        await cache.GetAsync(EndedPrefix + key, cancellationToken).ConfigureAwait(false) is not null;
}
