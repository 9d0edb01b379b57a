using System.Text.Json.Nodes;

namespace AuthKit.Testing.Internal;

/// <summary>A JSON API answer: status + body (+ optional headers).</summary>
internal readonly record struct ApiAnswer(int Status, JsonObject Body);
