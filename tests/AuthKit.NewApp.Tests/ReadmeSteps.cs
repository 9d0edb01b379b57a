using System.Text.RegularExpressions;

namespace AuthKit.NewApp.Tests;

/// <summary>What a README step does with its fenced block.</summary>
public enum ReadmeStepKind
{
    /// <summary><c>&lt;!-- newapp run --&gt;</c>: every line is a <c>dotnet ...</c> command run in the app's folder.</summary>
    Run,

    /// <summary><c>&lt;!-- newapp file="F" full --&gt;</c>: the block is the whole file F (created or replaced).</summary>
    Full,

    /// <summary><c>&lt;!-- newapp file="F" append --&gt;</c>: the block is added at the end of F.</summary>
    Append,

    /// <summary><c>&lt;!-- newapp file="F" insert-after="TEXT" --&gt;</c>: the block goes after the one line of F containing TEXT.</summary>
    InsertAfter,

    /// <summary><c>&lt;!-- newapp file="F" insert-before="TEXT" --&gt;</c>: the block goes before the one line of F containing TEXT.</summary>
    InsertBefore,

    /// <summary><c>&lt;!-- newapp env --&gt;</c>: <c>export NAME=value</c> lines, the settings the app is started with.</summary>
    Environment,
}

/// <summary>One marked fenced block of README.md.</summary>
public sealed record ReadmeStep(ReadmeStepKind Kind, string? File, string? Anchor, string Content, int Line)
{
    /// <summary>For <see cref="ReadmeStepKind.Environment"/>: the exported names and values, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Exports =>
        [.. Content.Split('\n').Select(l => ReadmeSteps.ExportLine().Match(l)).Where(m => m.Success)
            .Select(m => KeyValuePair.Create(m.Groups["name"].Value, m.Groups["value"].Value))];

    /// <summary>For <see cref="ReadmeStepKind.Run"/>: the commands, each as its arguments after <c>dotnet</c>.</summary>
    public IReadOnlyList<string[]> Commands =>
        [.. Content.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["dotnet", .. var rest]
                ? rest
                : throw new FormatException($"README line {Line}: a 'newapp run' block runs only dotnet commands, not '{l}'."))];
}

/// <summary>
/// Reads the steps of README.md's "Using it in your app" from its fenced blocks, each marked by an HTML comment
/// (<c>&lt;!-- newapp ... --&gt;</c>) on the line before it, and applies them to an app folder, so the tested app
/// is made from the README's text and nothing else.
/// </summary>
public static partial class ReadmeSteps
{
    /// <summary>Every marked block, in README order. Throws on a malformed marker or a marker without a block.</summary>
    public static IReadOnlyList<ReadmeStep> Parse(string readme)
    {
        var text = readme.Replace("\r\n", "\n", StringComparison.Ordinal);
        var steps = new List<ReadmeStep>();
        foreach (Match marker in Marker().Matches(text))
        {
            var line = text.AsSpan(0, marker.Index).Count('\n') + 1;
            var block = FencedBlock().Match(text, marker.Index + marker.Length);
            if (!block.Success || block.Index != marker.Index + marker.Length)
            {
                throw new FormatException($"README line {line}: a newapp marker must be followed directly by a fenced block.");
            }

            var attributes = Attribute().Matches(marker.Groups["attributes"].Value)
                .ToDictionary(a => a.Groups["name"].Value, a => a.Groups["value"].Success ? a.Groups["value"].Value : null);
            var content = block.Groups["content"].Value;
            steps.Add(ToStep(attributes, content, line));
        }

        return steps;
    }

    private static ReadmeStep ToStep(Dictionary<string, string?> attributes, string content, int line)
    {
        string File() => attributes.TryGetValue("file", out var f) && !string.IsNullOrWhiteSpace(f) && !Path.IsPathRooted(f) && !f.Contains("..", StringComparison.Ordinal)
            ? f
            : throw new FormatException($"README line {line}: the marker needs file=\"relative/path\".");

        var modes = attributes.Keys.Where(k => k != "file").ToList();
        if (modes.Count != 1)
        {
            throw new FormatException($"README line {line}: a newapp marker needs exactly one of run, env, full, append, insert-after=, insert-before= (got {string.Join(", ", modes)}).");
        }

        return modes[0] switch
        {
            "run" => new(ReadmeStepKind.Run, null, null, content, line),
            "env" => new(ReadmeStepKind.Environment, null, null, content, line),
            "full" => new(ReadmeStepKind.Full, File(), null, content, line),
            "append" => new(ReadmeStepKind.Append, File(), null, content, line),
            "insert-after" when attributes["insert-after"] is { Length: > 0 } anchor => new(ReadmeStepKind.InsertAfter, File(), anchor, content, line),
            "insert-before" when attributes["insert-before"] is { Length: > 0 } anchor => new(ReadmeStepKind.InsertBefore, File(), anchor, content, line),
            var other => throw new FormatException($"README line {line}: unknown or empty newapp mode '{other}'."),
        };
    }

    /// <summary>
    /// Applies the file steps to the app in <paramref name="appDirectory"/>. An anchor must occur on exactly one line of
    /// its file; a file to append to or insert into must exist. Returns what was done, one line per step.
    /// </summary>
    public static IReadOnlyList<string> ApplyFiles(IEnumerable<ReadmeStep> steps, string appDirectory)
    {
        var log = new List<string>();
        foreach (var step in steps.Where(s => s.File is not null))
        {
            var path = Path.Combine(appDirectory, step.File!);
            var block = step.Content.EndsWith('\n') ? step.Content : step.Content + "\n";
            switch (step.Kind)
            {
                case ReadmeStepKind.Full:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    System.IO.File.WriteAllText(path, block);
                    break;
                case ReadmeStepKind.Append:
                    var existing = ReadExisting(path, step);
                    System.IO.File.WriteAllText(path, (existing.Length == 0 || existing.EndsWith('\n') ? existing : existing + "\n") + block);
                    break;
                case ReadmeStepKind.InsertAfter or ReadmeStepKind.InsertBefore:
                    var lines = ReadExisting(path, step).Split('\n').ToList();
                    var hits = lines.Select((l, i) => (l, i)).Where(x => x.l.Contains(step.Anchor!, StringComparison.Ordinal)).ToList();
                    if (hits.Count != 1)
                    {
                        throw new InvalidOperationException($"README line {step.Line}: '{step.Anchor}' occurs on {hits.Count} lines of {step.File} (needs exactly one).");
                    }

                    var at = step.Kind == ReadmeStepKind.InsertAfter ? hits[0].i + 1 : hits[0].i;
                    lines.InsertRange(at, block.TrimEnd('\n').Split('\n'));
                    System.IO.File.WriteAllText(path, string.Join('\n', lines));
                    break;
                default:
                    throw new InvalidOperationException($"README line {step.Line}: {step.Kind} is not a file step.");
            }

            log.Add($"{step.Kind} {step.File}{(step.Anchor is null ? "" : $" at '{step.Anchor}'")} (README line {step.Line})");
        }

        return log;
    }

    private static string ReadExisting(string path, ReadmeStep step) =>
        System.IO.File.Exists(path)
            ? System.IO.File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal)
            : throw new InvalidOperationException($"README line {step.Line}: {step.File} does not exist in the app (a {step.Kind} step needs it).");

    [GeneratedRegex(@"^<!--\s*newapp(?<attributes>(?:\s+[a-z-]+(?:=""[^""]*"")?)*)\s*-->\n", RegexOptions.Multiline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"\G```[A-Za-z0-9_-]*\n(?<content>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"(?<name>[a-z-]+)(?:=""(?<value>[^""]*)"")?")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"^\s*export\s+(?<name>[A-Z_][A-Z0-9_]*)=(?<value>\S*)")]
    internal static partial Regex ExportLine();
}
