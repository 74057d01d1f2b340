package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The {@code qemu-img} program (Debian package {@code qemu-utils}), run without a shell.
 *
 * <p>Source formats are always given with {@code -f}: qemu-img then never guesses a format, so a raw image
 * whose first bytes look like a qcow2 header is not misread.
 */
public final class QemuImg {
    private static final Logger log = LoggerFactory.getLogger(QemuImg.class);

    /** {@code qemu-img convert -p} prints {@code "    (12.34/100%)"} followed by a carriage return. */
    private static final Pattern PROGRESS = Pattern.compile("\\((\\d{1,3})(?:\\.\\d+)?/100%\\)");

    private final String executable;
    private final Timeouts timeouts;
    private final CommandRunner runner = new CommandRunner();

    /**
     * How long each kind of call may run before it is killed.
     *
     * @param info    {@code info} and {@code --version}
     * @param convert {@code convert}: copies the whole image, so minutes to hours on a network file system
     * @param resize  {@code resize}
     */
    public record Timeouts(Duration info, Duration convert, Duration resize) {
        public Timeouts {
            requireNonNull(info, "info is null");
            requireNonNull(convert, "convert is null");
            requireNonNull(resize, "resize is null");
        }

        /** One minute for info, six hours for convert, five minutes for resize. */
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofMinutes(1), Duration.ofHours(6), Duration.ofMinutes(5));
        }
    }

    /**
     * @param executable the program: {@code qemu-img} (found on the PATH) or an absolute path
     * @param timeouts   how long calls may run
     */
    public QemuImg(String executable, Timeouts timeouts) {
        this.executable = requireNonNull(executable, "executable is null");
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
    }

    /** {@code qemu-img} from the PATH with {@link Timeouts#defaults()}. */
    public static QemuImg onPath() {
        return new QemuImg("qemu-img", Timeouts.defaults());
    }

    /**
     * The first line of {@code qemu-img --version}, e.g. {@code qemu-img version 7.2.22 (Debian ...)}.
     *
     * @throws CommandFailedException naming the package to install when the program cannot be run
     */
    public String version() throws IOException {
        List<String> command = List.of(executable, "--version");
        try {
            return runner.run(command, timeouts.info(), line -> { }).stdout().lines().findFirst().orElse("").strip();
        } catch (CommandFailedException e) {
            throw new CommandFailedException(command, "qemu-img is not usable (" + e.getMessage()
                    + "); install the Debian/Ubuntu package qemu-utils", e);
        }
    }

    /**
     * {@code qemu-img info --output=json <image>}, letting qemu-img detect the format.
     *
     * @throws CommandFailedException when qemu-img cannot open the image (its own message included)
     */
    public ImageInfo info(Path image) throws IOException {
        return info(List.of(executable, "info", "--output=json", image.toString()));
    }

    /** {@code qemu-img info -f <format> --output=json <image>}: the image read as that format, no detection. */
    public ImageInfo info(Path image, String format) throws IOException {
        return info(List.of(executable, "info", "-f", format, "--output=json", image.toString()));
    }

    private ImageInfo info(List<String> command) throws IOException {
        String json = runner.run(command, timeouts.info(), line -> { }).stdout();
        try {
            return ImageInfo.parse(json);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(command, e.getMessage(), e);
        }
    }

    /**
     * {@code qemu-img convert -p -f <format> -O raw <source> <target>}.
     *
     * @param progress receives the whole percent done each time it changes, on a reader thread
     */
    public void convertToRaw(Path source, String sourceFormat, Path target, IntConsumer progress) throws IOException {
        List<String> command = List.of(executable, "convert", "-p", "-f", sourceFormat, "-O", "raw",
                source.toString(), target.toString());
        int[] last = {-1};
        runner.run(command, timeouts.convert(), piece -> {
            Matcher matcher = PROGRESS.matcher(piece);
            if (matcher.find()) {
                int percent = Math.min(100, Integer.parseInt(matcher.group(1)));
                if (percent != last[0]) {
                    last[0] = percent;
                    progress.accept(percent);
                }
            }
        });
        log.debug("Converted {} ({}) to raw {}", source, sourceFormat, target);
    }

    /** {@code qemu-img resize -f raw <image> <N>G}; qemu-img itself refuses to shrink without --shrink. */
    public void resizeRaw(Path image, int sizeGiB) throws IOException {
        runner.run(List.of(executable, "resize", "-f", "raw", image.toString(), sizeGiB + "G"),
                timeouts.resize(), line -> { });
    }
}
