using System.Text;
using Takler.Core.Definitions.SnapshotJson;

namespace Takler.Core.Tests.Definitions.SnapshotJson;

public class SnapshotReaderErrorTests
{
    [Theory]
    [InlineData("""{"format": "takler-dotnet-snapshot", "version": 2, "bunch": {}}""", "takler-dotnet-snapshot version 2 is not supported; this build reads version 1")]
    [InlineData("""{"format": "other", "version": 1, "bunch": {}}""", "not a takler-dotnet-snapshot: format is 'other'")]
    [InlineData("""{"version": 1, "bunch": {}}""", "not a takler-dotnet-snapshot: no 'format'")]
    [InlineData("""{"format": "takler-dotnet-snapshot", "bunch": {}}""", "takler-dotnet-snapshot: no 'version'")]
    [InlineData("""[1]""", "not a takler-dotnet-snapshot: the document is not an object")]
    [InlineData("""{"format": "takler-dotnet-snapshot", "version": 1}""", "takler-dotnet-snapshot: no 'bunch' object")]
    [InlineData("""{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {"host": "h", "port": 1, "home": ".", "flows": [{"kind": "flow", "name": "f"}]}}""", "snapshot /f: 'status' is missing or not a string")]
    [InlineData("""{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {"host": "h", "port": 1, "home": ".", "flows": [{"kind": "flow", "name": "f", "status": "queued", "children": [{"kind": "rocket", "name": "x", "status": "queued"}]}]}}""", "snapshot /f/x: unknown node kind 'rocket'")]
    [InlineData("""{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {"host": "h", "port": 1, "home": ".", "flows": [{"kind": "flow", "name": "f", "status": "queued", "meters": [{"name": "m", "min": 0, "max": 5}]}]}}""", "snapshot /f: 'value' is missing")]
    [InlineData("""{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {"host": "h", "port": "x", "home": "."}}""", "snapshot bunch: 'port' must be an integer")]
    [InlineData("""{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {"host": "h", "port": 1, "home": ".", "flows": [{"kind": "task", "name": "t", "status": "queued"}]}}""", "snapshot /t: a task cannot be placed here")]
    [InlineData("{not json", "snapshot is not valid json: ")]
    public void A_bad_snapshot_is_an_invalid_request_saying_what_and_where(string json, string expected)
    {
        var e = Assert.Throws<TaklerException>(() => SnapshotReader.ReadBunch(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(TaklerErrorCode.InvalidRequest, e.Code);
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_snapshot_is_not_read_as_a_bunch()
    {
        var flow = SnapshotWriter.ToBytes(new Takler.Core.Nodes.Flow("f"));

        var e = Assert.Throws<TaklerException>(() => SnapshotReader.ReadBunch(flow));

        Assert.Equal("takler-dotnet-snapshot: no 'bunch' object", e.Message);
    }
}
