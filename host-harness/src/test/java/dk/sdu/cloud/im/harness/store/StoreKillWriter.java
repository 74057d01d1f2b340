package dk.sdu.cloud.im.harness.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that writes {@link NumberedWrite}s to a store until it is killed with SIGKILL, printing each
 * write's number after the store returned; and the parent's side, {@link #writeAndKill}. The acknowledgement
 * lines are the only ordering between the two, no timing.
 *
 * <p>Arguments: the store's file, then optionally {@code --hold}: the writer stops after each write and waits
 * for a line on its standard input before the next one, so that the parent kills it with no write under way;
 * and {@code --journal-limit BYTES}: the store's journal bound, so that a few hundred writes make it checkpoint.
 */
public final class StoreKillWriter {
    private static final String ACK = "ack ";

    private StoreKillWriter() {
    }

    public static void main(String[] args) throws SQLException, IOException {
        Path file = Path.of(args[0]).toAbsolutePath().normalize();
        boolean hold = false;
        long journalLimit = H2JobStore.JOURNAL_LIMIT_BYTES;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--hold" -> hold = true;
                case "--journal-limit" -> journalLimit = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        H2JobStore store = H2JobStore.open(file, Clock.systemUTC(), journalLimit);
        // H2 reuses the space of old file chunks only after RETENTION_TIME (default 45 s), and its defect shows
        // only once a commit is written into reused space. With 0 the writer reaches within milliseconds the
        // state a harness is in after its first minute. The setting is the database's, not this connection's,
        // and does not change what a commit writes.
        try (Connection sameDatabase = DriverManager.getConnection("jdbc:h2:file:" + file, "sa", "");
             Statement statement = sameDatabase.createStatement()) {
            statement.execute("SET RETENTION_TIME 0");
        }
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (int n = 1; ; n++) {
            NumberedWrite.of(n).applyTo(store);
            System.out.println(ACK + n);
            System.out.flush();
            if (hold && input.readLine() == null) {
                return;
            }
        }
    }

    /**
     * Starts a writer on {@code file}, reads its acknowledgements up to {@code killAfter}, then kills it with
     * SIGKILL. With {@code hold}, the writer is killed while it waits after write {@code killAfter}; without, at
     * whatever point of a later write it is.
     *
     * @param journalLimit the store's journal bound ({@link H2JobStore#JOURNAL_LIMIT_BYTES} as in the harness)
     * @throws IllegalStateException when the writer ended before {@code killAfter} writes or did not die
     */
    static void writeAndKill(Path file, int killAfter, boolean hold, long journalLimit)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                StoreKillWriter.class.getName(), file.toString()));
        if (hold) {
            command.add("--hold");
        }
        command.addAll(List.of("--journal-limit", Long.toString(journalLimit)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> other = new ArrayList<>();
        int acknowledged = 0;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < killAfter && (line = lines.readLine()) != null) {
                if (line.startsWith(ACK)) {
                    acknowledged = Integer.parseInt(line.substring(ACK.length()));
                    if (hold && acknowledged < killAfter) {
                        child.getOutputStream().write('\n');
                        child.getOutputStream().flush();
                    }
                } else {
                    other.add(line);
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close of the store
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the writer did not die within 60 s of SIGKILL");
            }
        }
        if (acknowledged != killAfter) {
            throw new IllegalStateException("the writer ended after " + acknowledged + " writes; its output: "
                    + other);
        }
    }

    /** What of writes 1..acknowledged the store in {@code file}, reopened, does not have. */
    static List<String> missingWrites(Path file, int acknowledged) {
        List<String> missing = new ArrayList<>();
        try (H2JobStore store = H2JobStore.open(file, Clock.systemUTC())) {
            for (int n = 1; n <= acknowledged; n++) {
                if (!NumberedWrite.of(n).isIn(store)) {
                    missing.add(NumberedWrite.of(n).describe(n));
                }
            }
        }
        return missing;
    }
}
