package dk.sdu.cloud.im.kubevirt.disk;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.0.5.0/24} or {@code fd00::/8}. A single address
 * without a prefix is a network of that one address. Parsing never asks DNS: only address literals are
 * accepted.
 */
public final class IpNetwork {
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    private final byte[] base;
    private final int prefixLength;

    private IpNetwork(byte[] base, int prefixLength) {
        this.base = base;
        this.prefixLength = prefixLength;
    }

    /** The network {@code address/prefixLength}; the address must have no bits set beyond the prefix. */
    public static IpNetwork of(InetAddress address, int prefixLength) {
        byte[] bytes = requireNonNull(address, "address is null").getAddress();
        if (prefixLength < 0 || prefixLength > bytes.length * 8) {
            throw new IllegalArgumentException("the prefix length must be 0.." + bytes.length * 8 + ", got "
                    + prefixLength);
        }
        byte[] masked = mask(bytes, prefixLength);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("the address has bits set beyond its /" + prefixLength + " prefix; "
                    + "did you mean " + text(masked) + "/" + prefixLength + "?");
        }
        return new IpNetwork(bytes, prefixLength);
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code a.b.c.d}, {@code x:y::z/n} or {@code x:y::z}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static IpNetwork parse(String cidr) {
        requireNonNull(cidr, "cidr is null");
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = literal(addressText).orElseThrow(() -> new IllegalArgumentException(
                "is not an IP network in CIDR notation (e.g. 10.0.5.0/24 or fd00::/8), got '" + cidr + "'"));
        byte[] bytes = address.getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String prefixText = text.substring(slash + 1);
            if (!prefixText.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("has no valid prefix length after '/', got '" + cidr + "'");
            }
            prefix = Integer.parseInt(prefixText);
        }
        try {
            return of(address, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + cidr + "': " + e.getMessage(), e);
        }
    }

    /**
     * The address that {@code text} spells literally: a dotted IPv4 address ({@code 10.0.0.1}) or an IPv6
     * address, with or without brackets. Empty for anything else, host names included; never asks DNS.
     * An IPv4-mapped IPv6 address comes back as the IPv4 address it maps.
     */
    public static Optional<InetAddress> literal(String text) {
        requireNonNull(text, "text is null");
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            if (IPV4.matcher(bare).matches()) {
                String[] parts = bare.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(parts[i]);
                    if (part > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) part;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            if (bare.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(bare).matches()) {
                // Text of hex digits, ':' and '.' with a ':' is parsed as an IPv6 literal or rejected by
                // the JDK; it never goes to DNS.
                return Optional.of(InetAddress.getByName(bare));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether the address lies in this network (IPv4-mapped IPv6 addresses count as their IPv4 address). */
    public boolean contains(InetAddress address) {
        byte[] bytes = unmapped(requireNonNull(address, "address is null")).getAddress();
        return bytes.length == base.length && Arrays.equals(mask(bytes, prefixLength), base);
    }

    /**
     * The IPv4 address that an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) stands for, or the address
     * itself. (The JDK usually does this when it makes the address; addresses made from raw bytes elsewhere
     * may still be mapped.)
     */
    static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return ipv4(Arrays.copyOfRange(bytes, 12, 16));
            }
        }
        return address;
    }

    static InetAddress ipv4(byte[] bytes) {
        try {
            return Inet4Address.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + Arrays.toString(bytes), e);
        }
    }

    private static byte[] mask(byte[] bytes, int prefixLength) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefixLength - i * 8));
            masked[i] &= (byte) (0xff << (8 - bitsHere));
        }
        return masked;
    }

    private static String text(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are an address", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpNetwork that && prefixLength == that.prefixLength && Arrays.equals(base, that.base);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(base) + prefixLength;
    }

    /** {@code address/prefixLength}. */
    @Override
    public String toString() {
        return text(base) + "/" + prefixLength;
    }
}
