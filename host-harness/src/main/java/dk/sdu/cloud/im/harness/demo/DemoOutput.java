package dk.sdu.cloud.im.harness.demo;

import java.io.PrintWriter;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The demo's narrative: one short line per event, prefixed with the seconds since the demo began. Safe to use
 * from several threads (job updates arrive on the backend's threads).
 */
final class DemoOutput {
    private static final String INDENT = "           ";

    private final PrintWriter out;
    private final long start;

    DemoOutput(PrintWriter out) {
        this.out = requireNonNull(out, "out is null");
        this.start = System.nanoTime();
    }

    /** Seconds since the start. */
    double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    synchronized void line(String text) {
        out.println(String.format(Locale.ROOT, "[%6.2fs] ", elapsed()) + text);
        out.flush();
    }

    /** Lines that belong to the previous one, indented under its text. */
    synchronized void block(String text) {
        text.lines().forEach(line -> out.println(INDENT + line));
        out.flush();
    }
}
