using System.CommandLine;
using System.CommandLine.Completions;
using System.Text;

namespace Takler.Cli;

/// <summary>
/// Shell completion scripts, generated from the command tree so they never drift from it: command names at the first
/// word, a command's options after a dash, its fixed argument values (force states, shells, ...) and files otherwise.
/// </summary>
internal static class CompletionScripts
{
    private const string Program = "takler_client";

    public static string For(string shell, RootCommand root)
    {
        var commands = root.Subcommands.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return shell switch
        {
            "bash" => Bash(commands),
            "zsh" => Zsh(commands),
            "fish" => Fish(commands),
            _ => Pwsh(commands),
        };
    }

    private static IEnumerable<string> Options(Command command) =>
        command.Options.Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Append("--help");

    private static IEnumerable<string> Values(Command command) =>
        command.Arguments.SelectMany(a => a.GetCompletions(CompletionContext.Empty)).Select(c => c.Label).Distinct(StringComparer.Ordinal);

    private static string Bash(List<Command> commands)
    {
        var text = new StringBuilder();
        text.Append("# bash completion for ").Append(Program).Append("; load it with: source <(").Append(Program).Append(" completion bash)\n");
        text.Append("_takler_client()\n{\n");
        text.Append("    local cur=\"${COMP_WORDS[COMP_CWORD]}\"\n");
        text.Append("    if [[ ${COMP_CWORD} -eq 1 ]]; then\n");
        text.Append("        COMPREPLY=( $(compgen -W \"").AppendJoin(' ', commands.Select(c => c.Name)).Append("\" -- \"$cur\") )\n");
        text.Append("        return 0\n    fi\n");
        text.Append("    local opts=\"\" values=\"\"\n");
        text.Append("    case \"${COMP_WORDS[1]}\" in\n");
        foreach (var c in commands)
        {
            text.Append("        ").Append(c.Name).Append(") opts=\"").AppendJoin(' ', Options(c)).Append("\"; values=\"").AppendJoin(' ', Values(c)).Append("\" ;;\n");
        }

        text.Append("    esac\n");
        text.Append("    if [[ \"$cur\" == -* ]]; then\n");
        text.Append("        COMPREPLY=( $(compgen -W \"$opts\" -- \"$cur\") )\n");
        text.Append("    else\n");
        text.Append("        COMPREPLY=( $(compgen -W \"$values\" -- \"$cur\") $(compgen -f -- \"$cur\") )\n");
        text.Append("    fi\n");
        text.Append("}\n");
        text.Append("complete -F _takler_client ").Append(Program).Append('\n');
        return text.ToString();
    }

    private static string Zsh(List<Command> commands)
    {
        var text = new StringBuilder();
        text.Append("#compdef ").Append(Program).Append('\n');
        text.Append("# zsh completion for ").Append(Program).Append("; load it with: source <(").Append(Program).Append(" completion zsh)\n");
        text.Append("_takler_client() {\n");
        text.Append("  local -a commands opts values\n");
        text.Append("  commands=(\n");
        foreach (var c in commands)
        {
            text.Append("    ").Append(Quote($"{c.Name}:{c.Description?.Replace(":", "\\:", StringComparison.Ordinal)}")).Append('\n');
        }

        text.Append("  )\n");
        text.Append("  if (( CURRENT == 2 )); then\n    _describe 'command' commands\n    return\n  fi\n");
        text.Append("  case $words[2] in\n");
        foreach (var c in commands)
        {
            text.Append("    ").Append(c.Name).Append(") opts=(").AppendJoin(' ', Options(c)).Append("); values=(").AppendJoin(' ', Values(c)).Append(") ;;\n");
        }

        text.Append("  esac\n");
        text.Append("  if [[ $PREFIX == -* ]]; then\n    compadd -- $opts\n  else\n    compadd -- $values\n    _files\n  fi\n");
        text.Append("}\n");
        text.Append("if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n  _takler_client \"$@\"\nelse\n  compdef _takler_client ").Append(Program).Append("\nfi\n");
        return text.ToString();
    }

    private static string Fish(List<Command> commands)
    {
        var text = new StringBuilder();
        text.Append("# fish completion for ").Append(Program).Append("; load it with: ").Append(Program).Append(" completion fish | source\n");
        text.Append("complete -c ").Append(Program).Append(" -f\n");
        foreach (var c in commands)
        {
            text.Append("complete -c ").Append(Program).Append(" -n __fish_use_subcommand -a ").Append(c.Name).Append(" -d ").Append(Quote(c.Description ?? string.Empty)).Append('\n');
        }

        foreach (var c in commands)
        {
            foreach (var o in c.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal)))
            {
                text.Append("complete -c ").Append(Program).Append(" -n '__fish_seen_subcommand_from ").Append(c.Name).Append("' -l ").Append(o.Name[2..])
                    .Append(" -d ").Append(Quote(o.Description ?? string.Empty)).Append('\n');
            }

            var values = Values(c).ToList();
            if (values.Count > 0)
            {
                text.Append("complete -c ").Append(Program).Append(" -n '__fish_seen_subcommand_from ").Append(c.Name).Append("' -a ").Append(Quote(string.Join(' ', values))).Append('\n');
            }

            if (c.Name is "load" or "check")
            {
                text.Append("complete -c ").Append(Program).Append(" -n '__fish_seen_subcommand_from ").Append(c.Name).Append("' -F\n");
            }
        }

        return text.ToString();
    }

    private static string Pwsh(List<Command> commands)
    {
        var text = new StringBuilder();
        text.Append("# PowerShell completion for ").Append(Program).Append("; load it with: ").Append(Program).Append(" completion pwsh | Out-String | Invoke-Expression\n");
        text.Append("Register-ArgumentCompleter -Native -CommandName ").Append(Program).Append(" -ScriptBlock {\n");
        text.Append("    param($wordToComplete, $commandAst, $cursorPosition)\n");
        text.Append("    $commands = @{\n");
        foreach (var c in commands)
        {
            text.Append("        ").Append(PwshQuote(c.Name)).Append(" = @(").AppendJoin(", ", Options(c).Concat(Values(c)).Select(PwshQuote)).Append(")\n");
        }

        text.Append("    }\n");
        text.Append("    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })\n");
        text.Append("    if ($words.Count -eq 0 -or ($words.Count -eq 1 -and $wordToComplete -ne '')) {\n");
        text.Append("        $candidates = $commands.Keys | Sort-Object\n");
        text.Append("    } else {\n");
        text.Append("        $candidates = $commands[$words[0]]\n");
        text.Append("    }\n");
        text.Append("    $candidates | Where-Object { $_ -like \"$wordToComplete*\" } | ForEach-Object {\n");
        text.Append("        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)\n");
        text.Append("    }\n");
        text.Append("}\n");
        return text.ToString();
    }

    private static string PwshQuote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
