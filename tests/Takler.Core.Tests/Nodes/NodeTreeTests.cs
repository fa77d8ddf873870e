using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Nodes;

public class NodeTreeTests
{
    [Theory]
    [InlineData("t1")]
    [InlineData("_x")]
    [InlineData("0day")]
    [InlineData("a.b_c9")]
    public void Valid_names_are_accepted(string name) => Assert.Equal(name, new Task(name).Name);

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("a b")]
    [InlineData("a-b")]
    [InlineData("a/b")]
    public void Bad_names_are_rejected_with_the_name_in_the_error(string name)
    {
        var error = Assert.Throws<TaklerException>(() => new Task(name));
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_sibling_name_is_rejected_and_the_tree_is_unchanged()
    {
        var flow = new Flow("f");
        flow.AddTask("t1");
        var error = Assert.Throws<TaklerException>(() => flow.AddTask("t1"));
        Assert.Contains("t1", error.Message, StringComparison.Ordinal);
        Assert.Single(flow.Children);
    }

    [Fact]
    public void Adding_an_existing_flow_needs_replace_and_keeps_its_place()
    {
        var bunch = new Bunch();
        bunch.AddFlow(new Flow("a"));
        bunch.AddFlow(new Flow("b"));
        Assert.Throws<TaklerException>(() => bunch.AddFlow(new Flow("a")));
        var replacement = new Flow("a");
        bunch.AddFlow(replacement, replace: true);
        Assert.Equal(["a", "b"], bunch.Flows.Select(f => f.Name));
        Assert.Same(replacement, bunch.Flows[0]);
    }

    [Fact]
    public void Paths_are_absolute_from_the_flow()
    {
        var flow = new Flow("f");
        var task = flow.AddFamily("fam").AddFamily("sub").AddTask(new ShellScriptTask("t"));
        Assert.Equal("/f/fam/sub/t", task.Path);
        Assert.Same(flow, task.Flow);
    }

    [Fact]
    public void Relative_paths_resolve_from_the_parent()
    {
        var bunch = new Bunch();
        var flow = bunch.AddFlow(new Flow("f"));
        var fam = flow.AddFamily("fam");
        var a = fam.AddTask("a");
        var b = fam.AddTask("b");
        var other = flow.AddFamily("other").AddTask("c");
        var top = flow.AddTask("top");

        Assert.Same(a, b.Resolve("./a"));
        Assert.Same(a, b.Resolve("a"));
        Assert.Same(top, b.Resolve("../top"));
        Assert.Same(other, b.Resolve("../other/c"));
        Assert.Same(a, other.Resolve("../fam/a"));
        Assert.Same(other, b.Resolve("/f/other/c"));
        Assert.Null(b.Resolve("../nope"));
    }

    [Fact]
    public void Absolute_paths_can_cross_flows()
    {
        var bunch = new Bunch();
        bunch.AddFlow(new Flow("f1")).AddTask("a");
        var b = bunch.AddFlow(new Flow("f2")).AddTask("b");
        Assert.Equal("/f1/a", b.Resolve("/f1/a")!.Path);
    }

    [Theory]
    [InlineData("f/t")]
    [InlineData("/")]
    [InlineData("")]
    public void A_path_that_is_not_absolute_is_an_invalid_path_error(string path)
    {
        var bunch = new Bunch();
        bunch.AddFlow(new Flow("f"));
        var error = Assert.Throws<TaklerException>(() => bunch.FindNode(path));
        Assert.Equal(TaklerErrorCode.InvalidNodePath, error.Code);
    }

    [Fact]
    public void Unknown_node_is_a_node_not_found_error()
    {
        var bunch = new Bunch();
        bunch.AddFlow(new Flow("f"));
        var error = Assert.Throws<TaklerException>(() => bunch.GetNode("/f/nope"));
        Assert.Equal(TaklerErrorCode.NodeNotFound, error.Code);
        Assert.Equal("NodeNotFoundError: node is not found: /f/nope", error.ProtocolMessage);
    }

    [Fact]
    public void Many_children_are_found_by_name()
    {
        var flow = new Flow("f");
        for (var i = 0; i < 100; i++)
        {
            flow.AddTask($"t{i}");
        }

        Assert.Equal("/f/t77", flow.FindChild("t77")!.Path);
        Assert.True(flow.RemoveChild("t77"));
        Assert.Null(flow.FindChild("t77"));
    }
}
