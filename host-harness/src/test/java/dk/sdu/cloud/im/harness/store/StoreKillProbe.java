package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Does a SIGKILLed harness keep every write the job store acknowledged? A diagnostic program, not a test: it
 * shows a known H2 defect (docs/host.md, "Durability of the job store") and fails while that defect is there.
 *
 * <p>Per round a child JVM ({@link Writer}) writes to a fresh store in a loop and prints a line after each call
 * returned; the probe kills it with SIGKILL after a random number of those lines, reopens the store and counts
 * the acknowledged writes it does not have. The acknowledgement lines are the only ordering, no timing.
 *
 * <p>{@code scripts/store-kill-probe --rounds N --seed S}. Exit status: 0 nothing lost, 1 a round lost
 * acknowledged writes, 2 bad usage, 3 could not run.
 */
public final class StoreKillProbe {
    private static final String ACK = "ack ";
    private static final int MAX_ACKS_BEFORE_KILL = 300;
    /** Jobs and messages as large as real ones, so H2 keeps them as large objects outside the row. */
    private static final String PADDING = "x".repeat(4_000);
    private static final String USAGE = "usage: StoreKillProbe [--rounds N] [--seed S]";

    private StoreKillProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 10;
        long seed = System.nanoTime();
        try {
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--rounds" -> rounds = Integer.parseInt(String.valueOf(value));
                    case "--seed" -> seed = Long.parseLong(String.valueOf(value));
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1");
            }
        } catch (NumberFormatException e) {
            System.err.println("not a number: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
        System.out.printf("store kill probe: %d rounds, seed %d%n", rounds, seed);
        Random random = new Random(seed);
        Path dir = Files.createTempDirectory("store-kill-probe");
        int lossy = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                int killAfter = 1 + random.nextInt(MAX_ACKS_BEFORE_KILL);
                Path file = dir.resolve("round-" + round + "/jobs");
                writeAndKill(file, killAfter);
                List<String> missing = missingWrites(file, killAfter);
                System.out.printf("round %d: killed after %d acknowledged writes, %d lost %s%n",
                        round, killAfter, missing.size(), missing);
                if (!missing.isEmpty()) {
                    lossy++;
                }
            }
        } catch (ProbeFailed e) {
            System.err.println("store kill probe could not run: " + e.getMessage());
            System.exit(3);
        } finally {
            deleteTree(dir);
        }
        System.out.printf("store kill probe: %d rounds, %d rounds lost acknowledged writes%n", rounds, lossy);
        System.exit(lossy == 0 ? 0 : 1);
    }

    /** Starts a writer, reads its acknowledgements up to {@code killAfter}, then kills it with SIGKILL. */
    private static void writeAndKill(Path file, int killAfter) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Writer.class.getName(), file.toString())
                .redirectErrorStream(true)
                .start();
        List<String> other = new ArrayList<>();
        int acknowledged = 0;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < killAfter && (line = lines.readLine()) != null) {
                if (line.startsWith(ACK)) {
                    acknowledged = Integer.parseInt(line.substring(ACK.length()));
                } else {
                    other.add(line);
                }
            }
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no H2 close
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                throw new ProbeFailed("the writer did not die within 60 s of SIGKILL");
            }
        }
        if (acknowledged != killAfter) {
            throw new ProbeFailed("the writer ended after " + acknowledged + " writes; its output: " + other);
        }
    }

    /** What of writes 1..acknowledged the reopened store does not have. */
    private static List<String> missingWrites(Path file, int acknowledged) {
        List<String> missing = new ArrayList<>();
        try (H2JobStore store = H2JobStore.open(file, Clock.systemUTC())) {
            for (int n = 1; n <= acknowledged; n++) {
                if (!Write.of(n).isIn(store)) {
                    missing.add(Write.of(n).kind().name().toLowerCase() + " " + n);
                }
            }
        }
        return missing;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Write number n: jobs are saved, get an update, and are asked to suspend, in turns. */
    private record Write(Kind kind, String jobId, String status) {
        enum Kind { SAVE, APPEND, REQUEST }

        static Write of(int n) {
            int job = (n - 1) / 3;
            Kind kind = Kind.values()[(n - 1) % 3];
            return new Write(kind, "job-" + job, "update of job " + job + " " + PADDING.substring(0, 50 * (job % 20)));
        }

        void applyTo(H2JobStore store) {
            switch (kind) {
                case SAVE -> store.save(new JobSubmission(jobId,
                        "{\"id\":\"" + jobId + "\",\"padding\":\"" + PADDING + "\"}", JobState.IN_QUEUE));
                case APPEND -> store.append(jobId, JobUpdate.state(JobState.RUNNING, status, 1L));
                case REQUEST -> store.recordRequests(List.of(jobId), JobOperation.SUSPEND);
            }
        }

        boolean isIn(H2JobStore store) {
            return switch (kind) {
                case SAVE -> store.find(jobId).isPresent();
                case APPEND -> store.updates(jobId).stream().anyMatch(u -> status.equals(u.statusMessage()));
                case REQUEST -> store.intent(jobId).map(JobIntent::operation).orElse(null) == JobOperation.SUSPEND;
            };
        }
    }

    /** The child JVM: writes until killed, printing each write's number after the store returned. */
    public static final class Writer {
        private Writer() {
        }

        public static void main(String[] args) throws SQLException {
            Path file = Path.of(args[0]).toAbsolutePath().normalize();
            H2JobStore store = H2JobStore.open(file, Clock.systemUTC());
            // The defect shows only once H2 writes a commit into the space of an old file chunk, and H2 reuses
            // that space only after RETENTION_TIME (default 45 s). With 0 the writer reaches within milliseconds
            // the state a harness is in after its first minute, so a round does not have to run for a minute.
            // The setting is the database's, not this connection's, and does not change what a commit writes.
            try (Connection sameDatabase = DriverManager.getConnection("jdbc:h2:file:" + file, "sa", "");
                 Statement statement = sameDatabase.createStatement()) {
                statement.execute("SET RETENTION_TIME 0");
            }
            for (int n = 1; ; n++) {
                Write.of(n).applyTo(store);
                System.out.println(ACK + n);
                System.out.flush();
            }
        }
    }

    private static final class ProbeFailed extends RuntimeException {
        ProbeFailed(String message) {
            super(message);
        }
    }
}
