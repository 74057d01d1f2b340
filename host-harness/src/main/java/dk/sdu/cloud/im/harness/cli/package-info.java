/**
 * The {@code ucloud-im} command line (picocli). {@link dk.sdu.cloud.im.harness.cli.ImCommand} is the main
 * class; each subcommand is one class.
 */
package dk.sdu.cloud.im.harness.cli;
