package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.harness.serve.ServerUrls;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address an IM child process serves at, from its ready line ({@code ucloud-im serves provider 'k8s' on
 * http://127.0.0.1:40123 (...)}, {@code docs/running.md}): the programs that start one let it bind a free port
 * ({@code harness.server.port: 0}) and read which it got, rather than choosing a "free" port that another program
 * could take before the IM binds it.
 */
final class ServingLine {
    private static final Pattern LINE = Pattern.compile("ucloud-im serves provider '[^']*' on http://(\\S+):(\\d+) ");

    private ServingLine() {
    }

    /** The URL a client on this machine reaches the IM at, once {@code log} has the ready line. */
    static Optional<URI> in(String log) {
        Matcher line = LINE.matcher(log);
        if (!line.find()) {
            return Optional.empty();
        }
        return Optional.of(ServerUrls.connectable(line.group(1), Integer.parseInt(line.group(2))));
    }
}
