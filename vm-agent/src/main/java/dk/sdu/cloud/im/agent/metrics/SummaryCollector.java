package dk.sdu.cloud.im.agent.metrics;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The guest's key-value summary (docs/metrics-format.md, summary): UCloud's keys ({@code OperatingSystem},
 * {@code KernelVersion}, {@code Uptime}, {@code PrivateIPAddress}, {@code BootID}, {@code LoadAverage15m},
 * {@code DiskTotal}, {@code DiskUsed}) and {@code Addresses}, {@code CPUs}, {@code MemoryTotal}. A value that cannot be
 * read is left out rather than failing the whole summary.
 */
public final class SummaryCollector {
    /** Longest value written; anything longer (a hostile os-release) is cut. */
    static final int MAX_VALUE_LENGTH = 256;

    private final ProcFiles files;
    private final FileSystemUsage.Probe fileSystem;
    private final Supplier<List<InetAddress>> addresses;

    public SummaryCollector(ProcFiles files, FileSystemUsage.Probe fileSystem, Supplier<List<InetAddress>> addresses) {
        this.files = requireNonNull(files, "files is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.addresses = requireNonNull(addresses, "addresses is null");
    }

    /** The addresses of this machine's interfaces that are up, loopback left out. */
    public static Supplier<List<InetAddress>> systemAddresses() {
        return () -> {
            List<InetAddress> result = new ArrayList<>();
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (nic.isUp() && !nic.isLoopback()) {
                        result.addAll(Collections.list(nic.getInetAddresses()));
                    }
                }
            } catch (SocketException e) {
                return List.of();
            }
            return result;
        };
    }

    /** The summary now, in key order. */
    public Map<String, String> collect() {
        Map<String, String> summary = new LinkedHashMap<>();
        tryPut(summary, "OperatingSystem", () -> prettyName(files.read("/etc/os-release")));
        tryPut(summary, "KernelVersion", () -> files.read("/proc/sys/kernel/osrelease").trim());
        tryPut(summary, "Uptime", () -> {
            String seconds = files.read("/proc/uptime").trim().split("\\s+")[0];
            return String.valueOf((long) Double.parseDouble(seconds));
        });
        List<InetAddress> all = addresses.get();
        List<InetAddress> ipv4 = all.stream().filter(a -> a instanceof Inet4Address).toList();
        ipv4.stream().filter(InetAddress::isSiteLocalAddress).findFirst().or(() -> ipv4.stream().findFirst())
                .ifPresent(a -> summary.put("PrivateIPAddress", a.getHostAddress()));
        if (!all.isEmpty()) {
            summary.put("Addresses", String.join(",", all.stream().map(SummaryCollector::text).toList()));
        }
        tryPut(summary, "BootID", () -> files.read("/proc/sys/kernel/random/boot_id").trim());
        tryPut(summary, "LoadAverage15m", () -> files.read("/proc/loadavg").trim().split("\\s+")[2]);
        tryPut(summary, "CPUs", () -> String.valueOf(CpuTimes.parse(files.read("/proc/stat")).cpus()));
        tryPut(summary, "MemoryTotal", () -> String.valueOf(MemInfo.parse(files.read("/proc/meminfo")).total()));
        try {
            var fs = fileSystem.read();
            summary.put("DiskTotal", String.valueOf(fs.total()));
            summary.put("DiskUsed", String.valueOf(fs.used()));
        } catch (IOException | RuntimeException e) {
            // left out, as any other value that cannot be read
        }
        return summary;
    }

    /** The summary as the file holds it: {@code Key:Value} lines. */
    public static String text(Map<String, String> summary) {
        var text = new StringBuilder();
        summary.forEach((key, value) -> text.append(key).append(':').append(value).append('\n'));
        return text.toString();
    }

    static String prettyName(String osRelease) {
        for (String line : osRelease.split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                String value = line.substring("PRETTY_NAME=".length()).trim();
                if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))
                        && value.endsWith(value.substring(0, 1))) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        throw new IllegalArgumentException("no PRETTY_NAME");
    }

    private static String text(InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        return zone < 0 ? text : text.substring(0, zone);
    }

    private interface Reading {
        String get() throws IOException;
    }

    private static void tryPut(Map<String, String> summary, String key, Reading reading) {
        try {
            summary.put(key, singleLine(reading.get()));
        } catch (IOException | RuntimeException e) {
            // left out: a summary without one value is more use than none
        }
    }

    private static String singleLine(String value) {
        String line = value.replaceAll("[\\p{Cntrl}]", " ").strip();
        return line.length() > MAX_VALUE_LENGTH ? line.substring(0, MAX_VALUE_LENGTH) : line;
    }
}
