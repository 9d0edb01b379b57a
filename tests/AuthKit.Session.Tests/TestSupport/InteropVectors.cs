using System.Globalization;
using AuthKit.Session.Json;

namespace AuthKit.Session.Tests.TestSupport;

/// <summary>
/// tests/interop/vectors.json, recorded from the real npm package. Parsed with the JavaScript-semantics parser because the
/// file holds strings with unpaired surrogates.
/// </summary>
internal static class InteropVectors
{
    private static readonly Lazy<JsNode> Root = new(() =>
        JsJson.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.InteropDirectory, "vectors.json"))));

    public static IReadOnlyList<JsNode> Section(string name) =>
        Root.Value.Get(name)?.Items ?? throw new InvalidOperationException($"vectors.json has no section '{name}'.");

    public static JsNode Named(string section, string name) =>
        Section(section).Single(v => v.Str("name") == name);

    public static TheoryData<string> Names(string section, Func<JsNode, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        foreach (JsNode item in Section(section))
        {
            if (filter is null || filter(item)) data.Add(item.Str("name")!);
        }
        return data;
    }

    public static string? Str(this JsNode node, string key) => node.Get(key)?.String;

    public static double Num(this JsNode node, string key) =>
        node.Get(key)?.Number ?? throw new InvalidOperationException($"missing number '{key}'");

    public static long Ms(this JsNode node, string key) => (long)node.Num(key);

    public static byte[] Hex(this JsNode node, string key) => Convert.FromHexString(node.Str(key)!);

    public static string Json(this JsNode node) => JsJson.Stringify(node);

    public static TimeSpan Seconds(this JsNode node, string key) =>
        TimeSpan.FromTicks((long)Math.Round(node.Num(key) * TimeSpan.TicksPerSecond));

    public static string Describe(double value) => value.ToString(CultureInfo.InvariantCulture);
}
