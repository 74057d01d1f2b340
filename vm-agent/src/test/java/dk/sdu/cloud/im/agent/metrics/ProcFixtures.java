package dk.sdu.cloud.im.agent.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Real {@code /proc} files of a Linux machine (a 2-vCPU VM), copied as test resources, and a {@link ProcFiles} over them. */
final class ProcFixtures {
    private ProcFixtures() {
    }

    static String read(String name) {
        try (InputStream in = ProcFixtures.class.getResourceAsStream("proc/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files a sample reads, by absolute path, from the fixtures; {@code later} picks the second reading. */
    static Map<String, String> machine(boolean later) {
        Map<String, String> files = new HashMap<>();
        String suffix = later ? ".later" : "";
        files.put("/proc/stat", read("stat" + suffix));
        files.put("/proc/net/dev", read("net-dev" + suffix));
        files.put("/proc/diskstats", read("diskstats" + suffix));
        files.put("/proc/meminfo", read("meminfo"));
        files.put("/etc/os-release", read("os-release"));
        files.put("/proc/loadavg", read("loadavg"));
        files.put("/proc/uptime", read("uptime"));
        files.put("/proc/sys/kernel/osrelease", read("osrelease"));
        files.put("/proc/sys/kernel/random/boot_id", read("boot_id"));
        return files;
    }

    static ProcFiles files(Map<String, String> files) {
        return path -> {
            String text = files.get(path);
            if (text == null) {
                throw new java.nio.file.NoSuchFileException(path);
            }
            return text;
        };
    }
}
