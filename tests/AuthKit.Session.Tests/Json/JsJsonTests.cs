using AuthKit.Session.Json;

namespace AuthKit.Session.Tests.Json;

public sealed class JsJsonTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("1.5", "1.5")]
    [InlineData("100", "100")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("123456789012345678901234", "1.2345678901234569e+23")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("0.0000001", "1e-7")]
    [InlineData("1.25e-10", "1.25e-10")]
    [InlineData("-12.5e3", "-12500")]
    [InlineData("0.1", "0.1")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("1e400", "null")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
    public void Numbers_are_written_as_javascript_prints_them(string input, string expected)
    {
        Assert.Equal(expected, JsJson.Canonicalize(input));
    }

    [Theory]
    [InlineData("\"\\u2028\\u2029\\u007f<>&'/+\"", "\"\u2028\u2029\u007f<>&'/+\"")]
    [InlineData("\"\\u0000\\u001F\\b\\f\\n\\r\\t\"", "\"\\u0000\\u001f\\b\\f\\n\\r\\t\"")]
    [InlineData("\"\\ud83d\\ude00\"", "\"😀\"")]
    [InlineData("\"\\ud83d x\"", "\"\\ud83d x\"")]
    [InlineData("\"\\uDE00\"", "\"\\ude00\"")]
    public void Strings_are_escaped_as_json_stringify_does(string input, string expected)
    {
        Assert.Equal(expected, JsJson.Canonicalize(input));
    }

    [Theory]
    [InlineData("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}")]
    [InlineData("{\"b\":1,\"10\":2,\"2\":3,\"01\":4,\"4294967295\":5}", "{\"2\":3,\"10\":2,\"b\":1,\"01\":4,\"4294967295\":5}")]
    [InlineData(" [ ] ", "[]")]
    public void Objects_follow_javascript_property_order(string input, string expected)
    {
        Assert.Equal(expected, JsJson.Canonicalize(input));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{'a':1}")]
    [InlineData("[1,]")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData("\"\t\"")]
    [InlineData("\"\\x\"")]
    [InlineData("NaN")]
    [InlineData("{} x")]
    [InlineData("\u00a0{}")]
    public void Text_json_parse_rejects_is_rejected(string input)
    {
        Assert.Throws<JsJsonParseException>(() => JsJson.Parse(input));
    }

    [Fact]
    public void Deep_nesting_beyond_the_limit_is_rejected_instead_of_overflowing_the_stack()
    {
        string deep = new string('[', 5000) + new string(']', 5000);

        Assert.Throws<JsJsonParseException>(() => JsJson.Parse(deep));
    }
}
