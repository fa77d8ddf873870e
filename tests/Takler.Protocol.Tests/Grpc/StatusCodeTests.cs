using Takler.Protocol.Grpc;

namespace Takler.Protocol.Tests.Grpc;

public sealed class StatusCodeTests
{
    [Fact]
    public void All_17_codes_have_their_wire_numbers()
    {
        string[] names =
        [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
            "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
            "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED",
        ];

        Assert.Equal(17, Enum.GetValues<StatusCode>().Length);
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(names[i], ((StatusCode)i).ToCanonicalName());
        }
    }

    [Fact]
    public void Rpc_exception_carries_status_detail_and_trailers()
    {
        var ex = new RpcException(StatusCode.NotFound, "no such node", new Metadata { { "k", "v" } });

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("no such node", ex.Detail);
        Assert.Equal("v", ex.Trailers.GetValue("k"));
        Assert.Equal("Status(StatusCode=\"NOT_FOUND\", Detail=\"no such node\")", ex.Message);
    }
}
