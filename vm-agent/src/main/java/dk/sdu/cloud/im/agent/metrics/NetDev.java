package dk.sdu.cloud.im.agent.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The byte counters of the network interfaces in {@code /proc/net/dev}, loopback left out, in the file's order.
 *
 * @param interfaces name to counters
 */
public record NetDev(Map<String, Counters> interfaces) {

    /** One interface's bytes received and transmitted since boot. */
    public record Counters(long received, long transmitted) {
    }

    public NetDev {
        interfaces = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
    }

    public static NetDev parse(String procNetDev) {
        Map<String, Counters> interfaces = new LinkedHashMap<>();
        for (String line : procNetDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (name.equals("lo")) {
                continue;
            }
            String[] fields = line.substring(colon + 1).trim().split("\\s+");
            // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes ...
            interfaces.put(name, new Counters(Long.parseLong(fields[0]), Long.parseLong(fields[8])));
        }
        return new NetDev(interfaces);
    }
}
