package dk.sdu.cloud.im.agent;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The agent's command line: {@code vmagent [--simulated-guest <root>]}, {@code vmagent --help},
 * {@code vmagent --version}. {@code vmagent metrics ...} is the metrics service, with a command line of its own
 * ({@link dk.sdu.cloud.im.agent.metrics.MetricsCommandLine}).
 */
record AgentCommandLine(Action action, Optional<Path> simulatedRoot) {
    static final String USAGE = """
            Usage: vmagent [--simulated-guest <root>]
                   vmagent --help | --version
                   vmagent metrics ...   (the metrics service; vmagent metrics --help)

            The UCloud guest agent. It mounts the job's folders, keeps a control connection to the integration
            module (docs/agent-protocol.md), installs the job owner's SSH keys and serves shells.

              --simulated-guest <root>  embedded mode: every guest path (/etc/ucloud-agent/agent.json,
                                        /etc/ucloud/mounts.yml, /work, /home/ucloud, /opt/ucloud/vmagent) is
                                        resolved under <root>; folders become symbolic links to the host
                                        folders named in <root>/etc/ucloud-agent/simulated-tags.json
              --help                    print this and exit
              --version                 print the agent's version and exit

            Exit status: 0 stopped, 2 bad command line or configuration, 75 the launcher changed (systemd
            starts the new agent).
            """;

    /** The first argument that runs the metrics service instead of the agent. */
    static final String METRICS = "metrics";

    enum Action { RUN, HELP, VERSION }

    static AgentCommandLine parse(String[] args) throws UsageException {
        if (args.length == 0) {
            return new AgentCommandLine(Action.RUN, Optional.empty());
        }
        if (args.length == 1 && args[0].equals("--help")) {
            return new AgentCommandLine(Action.HELP, Optional.empty());
        }
        if (args.length == 1 && args[0].equals("--version")) {
            return new AgentCommandLine(Action.VERSION, Optional.empty());
        }
        if (args.length == 2 && args[0].equals("--simulated-guest")) {
            if (args[1].isBlank()) {
                throw new UsageException("--simulated-guest needs a folder");
            }
            return new AgentCommandLine(Action.RUN, Optional.of(Path.of(args[1])));
        }
        throw new UsageException("unexpected arguments: " + String.join(" ", args));
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
