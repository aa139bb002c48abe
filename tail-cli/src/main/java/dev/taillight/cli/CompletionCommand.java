package dev.taillight.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a shell completion script. */
@Command(name = "completion", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Print a shell completion script for taillight.", "",
        "Bash:  source <(taillight completion bash)",
        "Zsh:   autoload -U bashcompinit && bashcompinit && source <(taillight completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL", defaultValue = "bash",
      description = "bash or zsh (zsh uses the bash script through bashcompinit). Default: ${DEFAULT-VALUE}.")
  String shell;

  CompletionCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw CliException.usage("unsupported shell '" + shell + "'", "use 'bash' or 'zsh'");
    }
    ctx.out.print(AutoComplete.bash("taillight", spec.root().commandLine()));
    ctx.out.flush();
    return ExitCode.OK;
  }
}
