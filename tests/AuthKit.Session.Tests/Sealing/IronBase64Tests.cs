namespace AuthKit.Session.Tests.Sealing;

public sealed class IronBase64Tests
{
    [Theory]
    [InlineData("AQID", "010203")]
    [InlineData("AQI", "0102")]
    [InlineData("AQ", "01")]
    [InlineData("AQJ", "0102")]       // leftover bits ignored (non-canonical last char)
    [InlineData("AQI=", "0102")]      // one trailing '=' accepted
    [InlineData("AQ==", "01")]
    [InlineData("+/8", "fbff")]       // standard alphabet accepted, as atob does
    [InlineData("-_8", "fbff")]
    [InlineData("AQ I D  ", "010203")] // ASCII whitespace removed after padding to a multiple of 4
    [InlineData("", "")]
    public void Lenient_decoding_accepts_what_node_20_accepts(string text, string expectedHex)
    {
        byte[] buffer = new byte[16];

        int n = IronBase64.DecodeLenient(text, buffer);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(buffer.AsSpan(0, n)));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("AQIDB")]
    [InlineData("AQ*D")]
    [InlineData("AQ=D")]
    [InlineData("AQI==")]
    [InlineData("AQ===")]
    [InlineData("é123")]
    [InlineData(" A Q I D ")] // padded by length first (3 x =), then whitespace removed: "AQID===" is invalid
    public void Lenient_decoding_rejects_what_atob_rejects(string text)
    {
        Assert.Equal(-1, IronBase64.DecodeLenient(text, new byte[16]));
    }

    [Fact]
    public void Encoding_is_unpadded_base64url()
    {
        Assert.Equal("-_8", IronBase64.Encode([0xfb, 0xff]));
        Assert.Equal(22, IronBase64.Encode(new byte[16]).Length);
        Assert.Equal(43, IronBase64.Encode(new byte[32]).Length);
    }
}
