using Microsoft.Extensions.Primitives;

namespace AuthKit.Session;

/// <summary>
/// What a storage write produced: the (possibly new) response and/or headers to add to it.
/// Several <c>Set-Cookie</c> values stay separate in one <see cref="StringValues"/>.
/// </summary>
/// <param name="Response">The response object, when the adapter wrote to it or created a new one.</param>
/// <param name="Headers">Headers to add, when the adapter did not write them itself.</param>
public readonly record struct SessionStorageResult<TResponse>(TResponse? Response, IReadOnlyDictionary<string, StringValues>? Headers);
