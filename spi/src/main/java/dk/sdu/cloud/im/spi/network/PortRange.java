package dk.sdu.cloud.im.spi.network;

import static java.util.Objects.requireNonNull;

/**
 * An open port range of a public IP's firewall ({@code {start, end, protocol}} in UCloud's JSON), both ends
 * included.
 *
 * @param start    the first port, 1-65535
 * @param end      the last port, {@code start}-65535
 * @param protocol the protocol
 */
public record PortRange(int start, int end, IpProtocol protocol) {
    /** The highest port number. */
    public static final int MAX_PORT = 65535;

    public PortRange {
        requireNonNull(protocol, "protocol is null");
        if (start < 1 || start > MAX_PORT || end < start || end > MAX_PORT) {
            throw new IllegalArgumentException("a port range is 1 <= start <= end <= " + MAX_PORT + ", got "
                    + start + "-" + end);
        }
    }

    /** How many ports the range opens. */
    public int size() {
        return end - start + 1;
    }

    /** Whether the two ranges share a port of the same protocol. */
    public boolean overlaps(PortRange other) {
        return protocol == other.protocol && start <= other.end && other.start <= end;
    }
}
