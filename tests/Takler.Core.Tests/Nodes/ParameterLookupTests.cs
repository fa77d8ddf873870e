using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Nodes;

public class ParameterLookupTests
{
    private readonly Bunch _bunch = new("node1", 33100, "/home/takler");
    private readonly Flow _flow;
    private readonly Family _family;
    private readonly Task _task;

    public ParameterLookupTests()
    {
        _flow = _bunch.AddFlow(new Flow("f"));
        _family = _flow.AddFamily("fam");
        _task = _family.AddTask("t");
    }

    [Fact]
    public void Lookup_goes_node_then_ancestors_then_flow_then_server()
    {
        _bunch.AddServerParameter("X", "server");
        Assert.Equal("server", _task.FindParameterValue("X"));
        _flow.AddParameter("X", "flow");
        Assert.Equal("flow", _task.FindParameterValue("X"));
        _family.AddParameter("X", "family");
        Assert.Equal("family", _task.FindParameterValue("X"));
        _task.AddParameter("X", "task");
        Assert.Equal("task", _task.FindParameterValue("X"));
    }

    [Fact]
    public void Generated_parameters_exist_at_each_level()
    {
        Assert.Equal("node1", _task.FindParameterValue("TAKLER_HOST"));
        Assert.Equal("33100", _task.FindParameterValue("TAKLER_PORT"));
        Assert.Equal("/home/takler", _task.FindParameterValue("TAKLER_HOME"));
        Assert.Equal("f", _task.FindParameterValue("FLOW"));
        Assert.Equal("fam", _task.FindParameterValue("FAMILY"));
        Assert.Equal("t", _task.FindParameterValue("TASK"));
        Assert.Equal("/f/fam/t", _task.FindParameterValue("TAKLER_NAME"));
        Assert.Equal("0", _task.FindParameterValue("TAKLER_TRY_NO"));
        Assert.Equal("/home/takler/f/fam/t.job0", _task.FindParameterValue("TAKLER_JOB"));
        Assert.Equal("/home/takler/f/fam/t.0", _task.FindParameterValue("TAKLER_JOBOUT"));
    }

    [Fact]
    public void A_user_parameter_beats_a_generated_one_of_the_same_name()
    {
        _task.AddParameter("TASK", "mine");
        Assert.Equal("mine", _task.FindParameterValue("TASK"));
    }

    [Fact]
    public void A_user_parameter_on_a_flow_beats_the_server_home()
    {
        _flow.AddParameter("TAKLER_HOME", "/flow/home");
        Assert.Equal("/flow/home/f/fam/t.job0", _task.FindParameterValue("TAKLER_JOB"));
    }

    [Fact]
    public void Re_adding_a_parameter_replaces_it_in_place()
    {
        _flow.AddParameter("A", "1").AddParameter("B", "2").AddParameter("A", "3");
        Assert.Equal(["A=3", "B=2"], _flow.Parameters.Select(p => $"{p.Name}={p.Value}"));
    }

    [Fact]
    public void Typed_parameters_print_as_python_does()
    {
        _flow.AddParameter("N", 4L).AddParameter("D", true);
        Assert.Equal("4", _flow.FindOwnParameter("N")!.Value);
        Assert.Equal(ParameterKind.Integer, _flow.FindOwnParameter("N")!.Kind);
        Assert.Equal("True", _flow.FindOwnParameter("D")!.Value);
    }

    [Fact]
    public void Script_path_is_published_as_takler_script()
    {
        var shell = _family.AddTask(new ShellScriptTask("s", "/scripts/s.takler"));
        Assert.Equal("/scripts/s.takler", shell.FindParameterValue("TAKLER_SCRIPT"));
    }

    [Fact]
    public void A_repeat_publishes_its_value_and_date_parts()
    {
        _family.AddRepeat(new RepeatDate("YMD", 20240228, 20240302));
        Assert.Equal("20240228", _task.FindParameterValue("YMD"));
        Assert.Equal("2024", _task.FindParameterValue("YMD_YYYY"));
        _family.Repeat!.Advance();
        _family.Repeat!.Advance();
        Assert.Equal("20240301", _task.FindParameterValue("YMD"));
        Assert.Equal("03", _task.FindParameterValue("YMD_MM"));
    }

    [Fact]
    public void Unknown_parameter_is_null()
    {
        Assert.Null(_task.FindParameterValue("NOPE"));
    }
}
