namespace AuthKit.Session.Tests.Fakes;

public static class Tamper
{
    /// <summary>Flips one character in the middle of a sealed value (inside the HMAC-protected part).</summary>
    public static string Middle(string value)
    {
        var chars = value.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
