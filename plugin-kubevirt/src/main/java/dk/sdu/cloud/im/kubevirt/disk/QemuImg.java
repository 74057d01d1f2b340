package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
     */
    public record Timeouts(Duration info, Duration convert) {
        public Timeouts {
            requireNonNull(info, "info is null");
            requireNonNull(convert, "convert is null");
        }

        /** One minute for info, six hours for convert. */
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofMinutes(1), Duration.ofHours(6));
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
     * How {@link #convertIntoRaw} writes its target.
     *
     * <ul>
     *   <li>{@link #DIRECT}: {@code -t none}, {@code O_DIRECT}: the data goes to the disk as it is converted,
     *       without a copy into the page cache, so the force that follows has (almost) nothing left to write,
     *       and a job disk the IM never reads again does not push golden images out of the page cache. Some
     *       file systems refuse {@code O_DIRECT}; see {@link #refusedDirectIo}.</li>
     *   <li>{@link #CACHED}: qemu-img's default ({@code writeback}), through the page cache.</li>
     * </ul>
     */
    public enum TargetCache { DIRECT, CACHED }

    /**
     * {@code qemu-img convert -p -n --target-is-zero [-t none] -f <format> -O raw <source> <target>}: the image
     * written into an existing raw file, which must be all zeros (e.g. just made by truncation) and at least
     * as large as the image's virtual size; the file keeps its size. So a disk is made at its final size
     * without a {@code resize} afterwards, and the image's holes stay holes ({@code --target-is-zero}: nothing
     * is written for them). Needs qemu-img 5.0 or newer.
     *
     * @param progress receives the whole percent done each time it changes, on a reader thread
     * @throws CommandFailedException when qemu-img fails, e.g. with "output file is smaller than input file"
     */
    public void convertIntoRaw(Path source, String sourceFormat, Path target, TargetCache cache, IntConsumer progress)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(executable, "convert", "-p", "-n", "--target-is-zero"));
        if (cache == TargetCache.DIRECT) {
            command.addAll(List.of("-t", "none"));
        }
        command.addAll(List.of("-f", sourceFormat, "-O", "raw", source.toString(), target.toString()));
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
        log.debug("Converted {} ({}) into the raw {} ({})", source, sourceFormat, target, cache);
    }

    /**
     * Whether a {@link TargetCache#DIRECT} convert failed because the target's file system does not do
     * {@code O_DIRECT}: qemu-img 6 and newer say so ("filesystem does not support O_DIRECT"); older ones and
     * file systems that refuse it only on writes fail with {@code EINVAL} ("Invalid argument"), which a
     * convert with the page cache does not meet.
     */
    public static boolean refusedDirectIo(CommandFailedException failure) {
        String message = String.valueOf(failure.getMessage());
        return message.contains("O_DIRECT") || message.contains("Invalid argument");
    }
}
