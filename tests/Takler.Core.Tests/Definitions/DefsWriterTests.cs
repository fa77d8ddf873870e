using Takler.Core.Definitions;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Definitions;

public sealed class DefsWriterTests
{
    [Fact]
    public void Writes_ecflows_layout_and_attribute_order()
    {
        // Attributes deliberately out of order: the writer puts them in ecFlow's.
        var defs = DefsReader.Parse("""
            extern /x/y
            suite s
              clock hybrid 1.1.2024
              generic g a
              queue q a b
              verify complete:3
              zombie ecf:fob::
              autocancel 1
              cron 10:00
              event e
              meter m 0 9
              label l "x"
              inlimit l
              limit l 2
              edit V '1'
              late -s +00:10
              defstatus suspended
              family f
                autoarchive 0
                day monday
                date 1.*.*
                today 11:00
                time 10:00
                repeat integer I 1 5
                trigger 1 == 1
                complete 0 == 1
                task t
                  mirror --name m --remote_path /a
                  aviso --name a --listener '{}'
                  inlimit -s /s:l 2
                  event 2 go set
                  trigger -o 1==0
              endfamily
            endsuite
            """.Replace("trigger -o 1==0", "trigger 1==0", StringComparison.Ordinal));

        Assert.Equal("""
            extern /x/y
            suite s
              defstatus suspended
              late -s +00:10
              edit V '1'
              limit l 2
              inlimit l
              label l "x"
              meter m 0 9
              event e
              cron 10:00
              autocancel 1
              zombie ecf:fob::
              verify complete:3
              queue q a b
              generic g a
              clock hybrid 1.1.2024
              family f
                complete 0 == 1
                trigger 1 == 1
                repeat integer I 1 5
                time 10:00
                today 11:00
                date 1.*.*
                day monday
                autoarchive 0
                task t
                  trigger 1==0
                  inlimit -s /s:l 2
                  event 2 go set
                  aviso --name a --listener '{}'
                  mirror --name m --remote_path /a
              endfamily
            endsuite

            """.ReplaceLineEndings("\n"), DefsWriter.ToText(defs));
    }

    [Fact]
    public void Values_are_quoted_so_that_they_read_back()
    {
        var flow = new Flow("s");
        flow.AddParameter("A", "it's");
        flow.AddParameter("B", "say \"hi\"; # not a comment");
        flow.AddLabel("l", "a \"b\"");

        var text = DefsWriter.ToText([flow]);
        var reread = DefsReader.Parse(text).Flows[0];

        Assert.Equal("suite s\n  edit A \"it's\"\n  edit B 'say \"hi\"; # not a comment'\n  label l 'a \"b\"'\nendsuite\n", text);
        Assert.Equal(["it's", "say \"hi\"; # not a comment"], reread.Parameters.Select(p => p.Value));
        Assert.Equal("a \"b\"", reread.Labels[0].DefaultText);
    }

    [Fact]
    public void State_is_written_as_checkpoint_comments()
    {
        var defs = DefsReader.Parse("""
            defs_state STATE
            edit SERVER_VAR 'v' # server
            suite s # begun:1 state:active
              limit l 2 # 1 /s/t
              repeat enumerated E a b c # 2
              task t # try:1 state:active rid:42
                label l "x" # "now"
                meter m 0 9 # 4
                event 1 e # set
                trigger 1 == 0 # free
              task u # state:queued suspended:1
            endsuite
            """);

        Assert.Equal("""
            defs_state STATE
            edit SERVER_VAR 'v'
            suite s # begun:1 state:active
              repeat enumerated E "a" "b" "c" # 2
              limit l 2 # 1 /s/t
              task t # state:active try:1 rid:42
                trigger 1 == 0 # free
                label l "x" # "now"
                meter m 0 9 # 4
                event 1 e # set
              task u # state:queued suspended:1
            endsuite

            """.ReplaceLineEndings("\n"), DefsWriter.ToText(defs, new DefsWriterOptions { IncludeState = true }));
    }

    [Fact]
    public void Indentation_and_line_ends_can_be_chosen()
    {
        var flow = new Flow("s");
        flow.AddFamily("f").AddTask("t");

        Assert.Equal(
            "suite s\r\n    family f\r\n        task t\r\n    endfamily\r\nendsuite\r\n",
            DefsWriter.ToText([flow], new DefsWriterOptions { IndentSize = 4, NewLine = "\r\n" }));
    }
}
