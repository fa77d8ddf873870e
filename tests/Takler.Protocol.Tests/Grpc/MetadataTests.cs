using Takler.Protocol.Grpc;

namespace Takler.Protocol.Tests.Grpc;

public sealed class MetadataTests
{
    [Fact]
    public void Keys_are_lower_cased_and_found_case_insensitively()
    {
        var metadata = new Metadata { { "Takler-Pass", "p" } };

        Assert.Equal("takler-pass", metadata[0].Key);
        Assert.Equal("p", metadata.GetValue("TAKLER-PASS"));
        Assert.Null(metadata.GetValue("takler-user"));
    }

    [Fact]
    public void Repeated_keys_keep_their_order()
    {
        var metadata = new Metadata { { "x", "1" }, { "y", "2" }, { "x", "3" } };

        Assert.Equal(["1", "3"], metadata.GetAll("x").Select(e => e.Value));
        Assert.Equal("1", metadata.GetValue("x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("colon:")]
    [InlineData("grpc-status")]
    [InlineData("grpc-custom")]
    [InlineData("ünïcode")]
    public void Invalid_or_reserved_keys_are_refused(string key) =>
        Assert.ThrowsAny<ArgumentException>(() => new Metadata { { key, "v" } });

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("é")]
    public void Values_outside_printable_ascii_are_refused(string value) =>
        Assert.Throws<ArgumentException>(() => new Metadata { { "k", value } });

    [Fact]
    public void Binary_values_need_a_bin_key_and_travel_as_unpadded_base64()
    {
        var entry = new MetadataEntry("trace-bin", [0, 1, 2, 255]);

        Assert.True(entry.IsBinary);
        Assert.Equal("AAEC/w", entry.Value);
        Assert.Throws<ArgumentException>(() => new MetadataEntry("trace", [1]));
        Assert.Throws<ArgumentException>(() => new MetadataEntry("trace-bin", "text"));
    }

    [Theory]
    [InlineData("AAEC/w")]
    [InlineData("AAEC/w==")]
    public void Received_binary_values_decode_padded_or_not(string wire)
    {
        var entry = MetadataEntry.FromWire("trace-bin", wire);

        Assert.NotNull(entry);
        Assert.Equal([0, 1, 2, 255], entry.ValueBytes);
    }

    [Fact]
    public void Received_binary_values_joined_with_commas_are_split_before_decoding()
    {
        var entry = MetadataEntry.FromWire("trace-bin", "AAE,Ag==");

        Assert.Equal([0, 1, 2], entry!.ValueBytes);
    }

    [Fact]
    public void Received_binary_value_that_is_not_base64_is_dropped() =>
        Assert.Null(MetadataEntry.FromWire("trace-bin", "!!!"));

    [Fact]
    public void Received_text_values_are_kept_without_validation() =>
        Assert.Equal("é", MetadataEntry.FromWire("X-Odd", "é")!.Value);
}
