package dk.sdu.cloud.im.kubevirt.disk;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Which addresses images may be downloaded from. The URL of an image comes from the application, that is
 * from users; without this rule the IM would fetch whatever the network behind it answers (the cloud's
 * metadata service, the cluster's services, the IM's own host) and hand it back as the user's disk.
 *
 * <p>The order of the rules: an address in a blocked network is refused (the operator's cluster ranges);
 * an address in an allowed network is accepted (the operator's internal mirror); an address of a special
 * range is refused: unspecified and {@code 0.0.0.0/8}, loopback, link-local (the metadata service at
 * {@code 169.254.169.254} among them), private (RFC 1918, IPv6 unique local {@code fc00::/7} and site-local),
 * shared address space ({@code 100.64.0.0/10}), multicast, broadcast and the reserved {@code 240.0.0.0/4};
 * IPv6 addresses that embed an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 {@code 64:ff9b::/96}) are
 * judged by that address. Every other address is accepted.
 */
public final class ImageAddressPolicy {
    private static final IpNetwork THIS_NETWORK = IpNetwork.parse("0.0.0.0/8");
    private static final IpNetwork SHARED = IpNetwork.parse("100.64.0.0/10");
    private static final IpNetwork RESERVED = IpNetwork.parse("240.0.0.0/4");
    private static final IpNetwork UNIQUE_LOCAL = IpNetwork.parse("fc00::/7");
    private static final IpNetwork IPV4_COMPATIBLE = IpNetwork.parse("::/96");
    private static final IpNetwork NAT64 = IpNetwork.parse("64:ff9b::/96");
    private static final byte[] BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

    private final List<IpNetwork> allowed;
    private final List<IpNetwork> blocked;

    /**
     * @param allowed networks accepted although they are special (e.g. a mirror on a private network)
     * @param blocked networks refused although they are not special (e.g. the cluster's pod and service
     *                ranges when they are public addresses); they win over {@code allowed}
     */
    public ImageAddressPolicy(List<IpNetwork> allowed, List<IpNetwork> blocked) {
        this.allowed = List.copyOf(requireNonNull(allowed, "allowed is null"));
        this.blocked = List.copyOf(requireNonNull(blocked, "blocked is null"));
    }

    /** Refuses every special range and allows nothing extra: the default. */
    public static ImageAddressPolicy strict() {
        return new ImageAddressPolicy(List.of(), List.of());
    }

    /** The policy of {@code services.compute.virtualMachines.imageDownloads} (already validated). */
    public static ImageAddressPolicy of(KubeVirtConfig.ImageDownloads config) {
        requireNonNull(config, "config is null");
        return new ImageAddressPolicy(config.allowedNetworks().stream().map(IpNetwork::parse).toList(),
                config.blockedNetworks().stream().map(IpNetwork::parse).toList());
    }

    /**
     * Why images must not come from this address, in a few words fit for a user ("loopback", "private
     * network", ...), or empty when they may.
     */
    public Optional<String> refusal(InetAddress address) {
        requireNonNull(address, "address is null");
        if (blocked.stream().anyMatch(n -> n.contains(address))) {
            return Optional.of("blocked network");
        }
        if (allowed.stream().anyMatch(n -> n.contains(address))) {
            return Optional.empty();
        }
        return special(IpNetwork.unmapped(address));
    }

    /**
     * The refusal of a URL's host when the host is an address literal (decided without DNS); empty for
     * host names and allowed addresses. Used to reject a job early; the download checks again after DNS.
     */
    public Optional<String> refusalOfLiteral(String host) {
        requireNonNull(host, "host is null");
        return IpNetwork.literal(host).flatMap(this::refusal);
    }

    private Optional<String> special(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            if (address.isAnyLocalAddress()) {
                return Optional.of("unspecified address");
            }
            if (address.isLoopbackAddress()) {
                return Optional.of("loopback");
            }
            if (IPV4_COMPATIBLE.contains(address) || NAT64.contains(address)) {
                return refusal(IpNetwork.ipv4(Arrays.copyOfRange(bytes, 12, 16)));
            }
            if (address.isLinkLocalAddress()) {
                return Optional.of("link-local");
            }
            if (UNIQUE_LOCAL.contains(address) || address.isSiteLocalAddress()) {
                return Optional.of("private network");
            }
            if (address.isMulticastAddress()) {
                return Optional.of("multicast");
            }
            return Optional.empty();
        }
        if (THIS_NETWORK.contains(address)) {
            return Optional.of("unspecified address");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("private network");
        }
        if (SHARED.contains(address)) {
            return Optional.of("shared address space");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        if (Arrays.equals(address.getAddress(), BROADCAST)) {
            return Optional.of("broadcast");
        }
        if (RESERVED.contains(address)) {
            return Optional.of("reserved");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "ImageAddressPolicy[allowed=" + allowed + ", blocked=" + blocked + "]";
    }
}
