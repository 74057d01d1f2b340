package dk.sdu.cloud.im.harness.cli;

import picocli.CommandLine.Command;

/** {@code ucloud-im config}: a group; does nothing by itself. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Works with the IM configuration file; see its subcommands.",
        subcommands = ConfigCheckCommand.class)
final class ConfigCommand {
}
