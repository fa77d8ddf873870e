using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Nodes;

public class AttributeListTests
{
    [Fact]
    public void A_node_keeps_its_attributes_in_order_whether_it_has_none_one_or_several()
    {
        var task = new Core.Nodes.Task("t");
        Assert.Empty(task.Events);

        task.AddEvent("a");
        Assert.Equal(["a"], task.Events.Select(e => e.Name));
        Assert.Same(task.FindEvent("a"), task.Events[0]);

        task.AddEvent("b").AddEvent("c");
        Assert.Equal(["a", "b", "c"], task.Events.Select(e => e.Name));
        Assert.Equal(3, task.Events.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Events[3]);
    }

    [Fact]
    public void One_item_is_indexed_enumerated_and_counted_like_many()
    {
        var list = AttributeList<Label>.Empty.Append(new Label("only", "x"));
        var seen = new List<string>();
        foreach (var label in list)
        {
            seen.Add(label.Name);
        }

        Assert.Equal(["only"], seen);
        Assert.Single(list);
        Assert.Equal("only", list[0].Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[1]);
        Assert.True(list is [{ Name: "only" }]);
    }

    [Fact]
    public void Replacing_and_removing_give_new_lists_and_leave_the_old_ones_as_they_were()
    {
        var a = new Meter("a", 0, 10);
        var b = new Meter("b", 0, 10);
        var c = new Meter("c", 0, 10);
        var two = AttributeList<Meter>.Empty.Append(a).Append(b);

        var replaced = two.Replacing(1, c);
        var withoutA = two.Without(m => m.Name == "a", out var removed);
        var none = withoutA.Without(_ => true, out var removedToo);

        Assert.Equal([a, c], replaced);
        Assert.Equal([a, b], two);
        Assert.Equal(1, removed);
        Assert.Equal([b], withoutA);
        Assert.Equal(1, removedToo);
        Assert.Equal(AttributeList<Meter>.Empty, none);
        Assert.Empty(none);
    }

    [Fact]
    public void Lists_with_equal_items_are_equal()
    {
        var one = AttributeList<Parameter>.Empty.Append(new Parameter("X", "1"));
        var same = AttributeList<Parameter>.Empty.Append(new Parameter("X", "1"));
        var other = AttributeList<Parameter>.Empty.Append(new Parameter("X", "2"));

        Assert.True(one == same);
        Assert.True(one != other);
        Assert.NotEqual(one, one.Append(new Parameter("Y", "1")));
    }
}
