using Takler.Protocol.Grpc;

namespace Takler.Protocol.Tests.Grpc;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("node is not found: /demo/nope", "node is not found: /demo/nope")]
    [InlineData("100%", "100%25")]
    [InlineData("a\nb\tc", "a%0Ab%09c")]
    [InlineData("é", "%C3%A9")]
    [InlineData("中", "%E4%B8%AD")]
    [InlineData("\U0001F600", "%F0%9F%98%80")]
    [InlineData("~ !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}", "~ !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}")]
    public void Encode_escapes_only_bytes_outside_space_to_tilde_and_percent(string message, string expected) =>
        Assert.Equal(expected, PercentEncoding.Encode(message));

    [Fact]
    public void Encode_uses_upper_case_hex() =>
        Assert.Equal("%7F%C3%BF", PercentEncoding.Encode("\u007Fÿ"));

    [Theory]
    [InlineData("ünïcödé 中文 100% done\r\nline two \U0001F680 #;?")]
    [InlineData("%%%")]
    [InlineData("%41 is not A")]
    public void Decode_reverses_encode(string message) =>
        Assert.Equal(message, PercentEncoding.Decode(PercentEncoding.Encode(message)));

    [Theory]
    [InlineData("%", "%")]
    [InlineData("50%", "50%")]
    [InlineData("%G1 ok", "%G1 ok")]
    [InlineData("%4", "%4")]
    [InlineData("a%2", "a%2")]
    [InlineData("%c3%a9", "é")]
    public void Decode_keeps_broken_sequences_as_they_are(string value, string expected) =>
        Assert.Equal(expected, PercentEncoding.Decode(value));

    [Fact]
    public void Decode_replaces_invalid_utf8_instead_of_failing() =>
        Assert.Equal("a\uFFFDb", PercentEncoding.Decode("a%FFb"));
}
