using System.Text.Json.Nodes;

namespace AuthKit.Benchmarks.Fixtures;

/// <summary>Writes the inputs of <c>benchmarks/node/withauth.mjs</c>: the same kind of cookies the .NET benchmarks use.</summary>
public static class NodeFixture
{
    public static int Write(string path, int count)
    {
        using var data = BenchData.Create();
        var cookies = data.CreateCookies(count + 1, TimeSpan.FromHours(2));
        var json = new JsonObject
        {
            ["clientId"] = BenchData.ClientId,
            ["cookiePassword"] = BenchData.CookiePassword,
            ["jwks"] = data.JwksJson,
            ["cookie"] = cookies[0],
            ["cookies"] = new JsonArray(cookies[1..].Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
        };
        File.WriteAllText(path, json.ToJsonString());
        Console.WriteLine($"fixture: {count + 1} cookies of ~{cookies[0].Length} chars -> {path}");
        return 0;
    }
}
