package dk.sdu.cloud.im.agent.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes the summary file whole: to a temporary name, then renamed over the old one, so a reader sees one or the other. */
public final class SummaryWriter {
    private SummaryWriter() {
    }

    public static void write(Path folder, String text) throws IOException {
        Files.createDirectories(folder);
        Path temporary = folder.resolve(MetricsFormat.SUMMARY_FILE + MetricsFormat.TEMPORARY_SUFFIX);
        Files.write(temporary, text.getBytes(StandardCharsets.UTF_8));
        Files.move(temporary, folder.resolve(MetricsFormat.SUMMARY_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
