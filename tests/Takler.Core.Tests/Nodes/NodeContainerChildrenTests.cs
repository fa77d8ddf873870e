using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Nodes;

public class NodeContainerChildrenTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(200)]
    public void Children_added_at_once_are_found_by_name_and_accept_more_later(int count)
    {
        var family = new Family("f");
        Node[] read = [.. Enumerable.Range(0, count).Select(i => new Task($"t{i}"))];

        family.AddChildren(read);
        family.AddTask("late1");
        family.AddFamily("late2");

        Assert.Equal(count + 2, family.Children.Count);
        Assert.Equal([.. read.Select(n => n.Name), "late1", "late2"], family.Children.Select(c => c.Name));
        for (var i = 0; i < count; i++)
        {
            Assert.Same(read[i], family.FindChild($"t{i}"));
            Assert.Same(read[i], family.FindChild($"t{i}".AsSpan()));
            Assert.Same(family, read[i].Parent);
        }

        Assert.Equal("/f/late1", family.FindChild("late1")!.Path);
        Assert.IsType<Family>(family.FindChild("late2".AsSpan()));
        Assert.Null(family.FindChild("missing"));
        Assert.Null(family.FindChild("missing".AsSpan()));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(40)]
    public void Children_added_at_once_after_others_keep_the_order_and_reject_duplicates(int count)
    {
        var family = new Family("f");
        family.AddTask("first");
        Node[] read = [.. Enumerable.Range(0, count).Select(i => new Task($"t{i}"))];

        family.AddChildren(read);

        Assert.Equal(["first", .. read.Select(n => n.Name)], family.Children.Select(c => c.Name));
        Assert.Throws<TaklerException>(() => family.AddTask("t1"));
        Assert.Throws<TaklerException>(() => family.AddChildren(new Node[] { new Task("first") }));
        Assert.True(family.RemoveChild("t1"));
        Assert.Null(family.FindChild("t1"));
        Assert.Equal(count, family.Children.Count);
    }

    [Fact]
    public void A_large_family_finds_every_child_after_removals_and_adds()
    {
        var family = new Family("f");
        for (var i = 0; i < 300; i++)
        {
            family.AddTask($"t{i}");
        }

        for (var i = 0; i < 300; i += 3)
        {
            Assert.True(family.RemoveChild($"t{i}"));
        }

        family.AddTask("t0");
        for (var i = 0; i < 300; i++)
        {
            var child = family.FindChild($"t{i}");
            Assert.Equal(i == 0 || i % 3 != 0, child is not null);
            Assert.Equal(child?.Name, family.FindChild($"t{i}".AsSpan())?.Name);
        }

        Assert.Equal("t0", family.Children[^1].Name);
        Assert.False(family.RemoveChild("t3"));
    }
}
