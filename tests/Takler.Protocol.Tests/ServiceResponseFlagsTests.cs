namespace Takler.Protocol.Tests;

public sealed class ServiceResponseFlagsTests
{
    [Theory]
    [InlineData(0, "success")]
    [InlineData(1, "takler_error")]
    [InlineData(10, "node_not_found")]
    [InlineData(11, "invalid_node_path")]
    [InlineData(12, "node_type")]
    [InlineData(13, "unsupported_value")]
    [InlineData(14, "flow_state")]
    [InlineData(15, "invalid_request")]
    [InlineData(20, "expression_syntax")]
    [InlineData(30, "job_submission")]
    [InlineData(31, "zombie")]
    [InlineData(40, "transport")]
    [InlineData(41, "client_connection")]
    [InlineData(42, "server_response")]
    [InlineData(43, "permission_denied")]
    [InlineData(99, "internal_error")]
    public void Each_flag_of_the_table_has_its_name(int flag, string name)
    {
        Assert.Equal(name, ServiceResponseFlags.GetName(flag));
        Assert.True(ServiceResponseFlags.IsDefined(flag));
        Assert.Equal(name, ((ServiceResponseFlag)flag).GetName());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(19)]
    [InlineData(21)]
    [InlineData(29)]
    [InlineData(32)]
    [InlineData(39)]
    [InlineData(44)]
    [InlineData(98)]
    [InlineData(100)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Any_other_value_is_unknown(int flag)
    {
        Assert.Equal("unknown", ServiceResponseFlags.GetName(flag));
        Assert.False(ServiceResponseFlags.IsDefined(flag));
    }

    [Fact]
    public void The_enum_has_exactly_the_16_codes() =>
        Assert.Equal(16, Enum.GetValues<ServiceResponseFlag>().Length);
}
