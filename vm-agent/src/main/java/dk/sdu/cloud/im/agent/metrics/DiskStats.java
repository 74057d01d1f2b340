package dk.sdu.cloud.im.agent.metrics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Bytes read from and written to the guest's disks since boot, from {@code /proc/diskstats}: whole disks only, so
 * that a partition's I/O is not counted twice, and no loop, RAM or device-mapper devices (their I/O lands on a disk
 * too).
 *
 * @param read    bytes read
 * @param written bytes written
 */
public record DiskStats(long read, long written) {
    /** {@code /proc/diskstats} counts sectors of 512 bytes whatever the device's sector size. */
    private static final int SECTOR = 512;

    public static DiskStats parse(String procDiskstats) {
        Map<String, long[]> devices = new LinkedHashMap<>();
        for (String line : procDiskstats.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10) {
                continue;
            }
            String name = fields[2];
            if (name.startsWith("loop") || name.startsWith("ram") || name.startsWith("zram") || name.startsWith("dm-")
                    || name.startsWith("sr") || name.startsWith("md")) {
                continue;
            }
            // major minor name reads merged sectors_read ms writes merged sectors_written ...
            devices.put(name, new long[] {Long.parseLong(fields[5]), Long.parseLong(fields[9])});
        }
        Set<String> partitions = new HashSet<>();
        for (String name : devices.keySet()) {
            for (String other : devices.keySet()) {
                if (!other.equals(name) && other.startsWith(name) && isPartitionSuffix(name, other.substring(name.length()))) {
                    partitions.add(other);
                }
            }
        }
        long read = 0;
        long written = 0;
        for (var device : devices.entrySet()) {
            if (!partitions.contains(device.getKey())) {
                read += device.getValue()[0] * SECTOR;
                written += device.getValue()[1] * SECTOR;
            }
        }
        return new DiskStats(read, written);
    }

    // vda -> vda1; a disk whose name ends in a digit takes a "p": nvme0n1 -> nvme0n1p1 (nvme0n10 is a disk).
    private static boolean isPartitionSuffix(String disk, String suffix) {
        return Character.isDigit(disk.charAt(disk.length() - 1)) ? suffix.matches("p[0-9]+") : suffix.matches("[0-9]+");
    }
}
