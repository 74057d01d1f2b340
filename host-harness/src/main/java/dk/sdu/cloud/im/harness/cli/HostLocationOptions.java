package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE} and {@code --plugins DIR}, shared by the commands that start from them. */
final class HostLocationOptions {

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "The IM configuration file (YAML).")
    Path config;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "The directory of plugin jars. Default: the installation's plugins/ when started by "
                    + "bin/ucloud-im, else plugins/ in the working directory.")
    Path plugins;

    Path pluginsDirectory() {
        return plugins != null ? plugins : HostOptions.defaultPluginsDirectory();
    }

    HostOptions hostOptions() {
        return new HostOptions(config, pluginsDirectory());
    }
}
