using System.Text.Json.Serialization;

namespace AuthKit.Session.Json;

/// <summary>
/// Source-generated readers for the sealed payloads (camelCase as the npm package writes them). Writing goes through
/// <see cref="SessionJsonWriter"/>, which matches <c>JSON.stringify</c> byte for byte.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    NumberHandling = JsonNumberHandling.Strict,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(Session))]
[JsonSerializable(typeof(PkceState))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
