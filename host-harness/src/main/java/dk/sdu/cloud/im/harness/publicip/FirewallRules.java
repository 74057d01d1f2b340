package dk.sdu.cloud.im.harness.publicip;

import dk.sdu.cloud.im.spi.network.IpProtocol;
import dk.sdu.cloud.im.spi.network.PortRange;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks a public IP's firewall ({@code {"openPorts": [{"start", "end", "protocol"}]}}): every range
 * is 1-65535 with start <= end and protocol TCP or UDP, no two ranges of one protocol share a port, and all
 * ranges together open at most {@code maxPorts} ports (each opened port becomes a port of the job's Service).
 *
 * @param maxPorts the most ports one public IP may open ({@code services.compute.publicIps.maxPorts})
 */
public record FirewallRules(int maxPorts) {
    public FirewallRules {
        if (maxPorts < 1) {
            throw new IllegalArgumentException("maxPorts must be at least 1, got " + maxPorts);
        }
    }

    /**
     * The outcome of checking one firewall.
     *
     * @param openPorts the ranges, when there is no problem
     * @param problems  what is wrong, each naming the range by its path
     */
    public record Checked(List<PortRange> openPorts, List<String> problems) {
        public Checked {
            openPorts = List.copyOf(openPorts);
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks a firewall object.
     *
     * @param firewall the {@code firewall} value (null or JSON null: no open ports)
     * @param path     where it is in the request, e.g. {@code items[0].firewall}
     */
    public Checked check(JsonNode firewall, String path) {
        List<String> problems = new ArrayList<>();
        List<PortRange> ranges = new ArrayList<>();
        if (firewall == null || firewall.isNull() || firewall.isMissingNode()) {
            return new Checked(List.of(), List.of());
        }
        JsonNode openPorts = firewall.get("openPorts");
        if (!firewall.isObject() || openPorts == null || !openPorts.isArray()) {
            return new Checked(List.of(), List.of(path + ": expected {\"openPorts\": [{\"start\", \"end\", "
                    + "\"protocol\"}, ...]}"));
        }
        for (int i = 0; i < openPorts.size(); i++) {
            String at = path + ".openPorts[" + i + "]";
            JsonNode range = openPorts.get(i);
            JsonNode start = range.get("start");
            JsonNode end = range.get("end");
            JsonNode protocol = range.get("protocol");
            if (start == null || !start.isIntegralNumber() || end == null || !end.isIntegralNumber()) {
                problems.add(at + ": start and end must be whole numbers");
                continue;
            }
            IpProtocol parsed = protocol(protocol);
            if (parsed == null) {
                problems.add(at + ": protocol must be TCP or UDP, got " + protocol);
                continue;
            }
            long first = start.longValue();
            long last = end.longValue();
            if (first < 1 || last > PortRange.MAX_PORT || first > last) {
                problems.add(at + ": " + first + "-" + last + " is not a port range (1 <= start <= end <= "
                        + PortRange.MAX_PORT + ")");
                continue;
            }
            PortRange candidate = new PortRange((int) first, (int) last, parsed);
            for (int j = 0; j < ranges.size(); j++) {
                if (ranges.get(j).overlaps(candidate)) {
                    problems.add(at + ": " + describe(candidate) + " overlaps " + describe(ranges.get(j)));
                }
            }
            ranges.add(candidate);
        }
        long total = ranges.stream().mapToLong(PortRange::size).sum();
        if (problems.isEmpty() && total > maxPorts) {
            problems.add(path + ".openPorts: opens " + total + " ports, more than the " + maxPorts
                    + " this provider allows per public IP");
        }
        return problems.isEmpty() ? new Checked(ranges, List.of()) : new Checked(List.of(), problems);
    }

    /** A range as users write it: {@code TCP 8000-8010}. */
    public static String describe(PortRange range) {
        return range.protocol() + " " + (range.start() == range.end() ? String.valueOf(range.start())
                : range.start() + "-" + range.end());
    }

    private static IpProtocol protocol(JsonNode node) {
        if (node == null || !node.isString()) {
            return null;
        }
        for (IpProtocol protocol : IpProtocol.values()) {
            if (protocol.name().equals(node.asString())) {
                return protocol;
            }
        }
        return null;
    }
}
