package dk.sdu.cloud.im.agent.guest;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What the agent tells the IM about its guest in its {@code hello} (docs/agent-protocol.md): the operating
 * system's name ({@code PRETTY_NAME} of {@code /etc/os-release}, else of {@code /usr/lib/os-release}) and the
 * guest's first IPv4 address that is up and not a loopback. Either may be unknown.
 */
public record GuestDescription(Optional<String> os, Optional<String> address) {

    private static final int MAX_CHARS = 200;

    /** Reads the guest's description; a simulated guest has no address of its own. */
    public static GuestDescription of(GuestLayout layout) {
        Optional<String> os = prettyName(layout.resolve("/etc/os-release"))
                .or(() -> prettyName(layout.resolve("/usr/lib/os-release")));
        return new GuestDescription(os, layout.isSimulated() ? Optional.empty() : firstAddress());
    }

    /** {@code PRETTY_NAME} of an os-release file, unquoted, if the file has one. */
    static Optional<String> prettyName(Path osRelease) {
        try {
            List<String> lines = Files.readAllLines(osRelease, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("PRETTY_NAME=")) {
                    String value = line.substring("PRETTY_NAME=".length()).strip();
                    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                        value = value.substring(1, value.length() - 1);
                    }
                    value = value.replaceAll("\\p{Cntrl}", " ").strip();
                    return value.isEmpty() ? Optional.empty()
                            : Optional.of(value.length() > MAX_CHARS ? value.substring(0, MAX_CHARS) : value);
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> firstAddress() {
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!network.isUp() || network.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()
                            && !address.isLinkLocalAddress()) {
                        return Optional.of(address.getHostAddress());
                    }
                }
            }
            return Optional.empty();
        } catch (SocketException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
