package dk.sdu.cloud.im.harness.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the demo's disk image with {@code qemu-img}: an empty qcow2 disk, as small as an image can be. (Tests of
 * the host use it too.)
 */
public final class DemoImage {
    /** The virtual size: the disk preparation refuses images smaller than 1 MiB. */
    public static final String VIRTUAL_SIZE = "64M";
    /** {@link #VIRTUAL_SIZE} for people. */
    public static final String VIRTUAL_SIZE_TEXT = "64 MiB";
    private static final long TIMEOUT_SECONDS = 60;

    private DemoImage() {
    }

    /**
     * @throws DemoFailure when {@code qemu-img} is missing (saying which package to install) or fails
     */
    public static Path make(Path file) {
        return make("qemu-img", file);
    }

    /** {@link #make(Path)} with another program in place of {@code qemu-img} (tests). */
    static Path make(String qemuImg, Path file) {
        List<String> command = List.of(qemuImg, "create", "-q", "-f", "qcow2", file.toString(), VIRTUAL_SIZE);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DemoFailure("the demo makes its disk image with " + qemuImg + ", which is not installed: "
                    + "install qemu-utils (Debian/Ubuntu: sudo apt-get install qemu-utils), or run scripts/prerequisites");
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DemoFailure("qemu-img create did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0 || !Files.isRegularFile(file)) {
                throw new DemoFailure("qemu-img create failed (exit " + process.exitValue() + "): " + output);
            }
            return file;
        } catch (IOException e) {
            throw new DemoFailure("qemu-img create failed: " + e, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted while qemu-img made the disk image", e);
        }
    }
}
