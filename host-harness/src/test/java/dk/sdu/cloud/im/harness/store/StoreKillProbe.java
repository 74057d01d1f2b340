package dk.sdu.cloud.im.harness.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Does a SIGKILLed harness keep every write the job store acknowledged? A diagnostic program to run at will with
 * many rounds (docs/host.md, "Durability of the job store"); {@link H2JobStoreKillTest} is the test.
 *
 * <p>Per round a child JVM ({@link StoreKillWriter}) writes to a fresh store in a loop and prints a line after
 * each call returned; the probe kills it with SIGKILL after a random number of those lines, reopens the store
 * and counts the acknowledged writes it does not have. The acknowledgement lines are the only ordering, no timing.
 *
 * <p>{@code scripts/store-kill-probe --rounds N --seed S}. Exit status: 0 nothing lost, 1 a round lost
 * acknowledged writes, 2 bad usage, 3 could not run.
 */
public final class StoreKillProbe {
    private static final int MAX_ACKS_BEFORE_KILL = 300;
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
                StoreKillWriter.writeAndKill(file, killAfter, false, H2JobStore.JOURNAL_LIMIT_BYTES);
                List<String> missing = StoreKillWriter.missingWrites(file, killAfter);
                System.out.printf("round %d: killed after %d acknowledged writes, %d lost %s; files after reopen: %s%n",
                        round, killAfter, missing.size(), missing, fileSizes(file.getParent()));
                if (!missing.isEmpty()) {
                    lossy++;
                }
            }
        } catch (IllegalStateException e) {
            System.err.println("store kill probe could not run: " + e.getMessage());
            System.exit(3);
        } finally {
            deleteTree(dir);
        }
        System.out.printf("store kill probe: %d rounds, %d rounds lost acknowledged writes%n", rounds, lossy);
        System.exit(lossy == 0 ? 0 : 1);
    }

    /** The files of a store's folder with their sizes, e.g. {@code jobs.mv.db 53248 B}. */
    private static String fileSizes(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().map(file -> {
                try {
                    return file.getFileName() + " " + Files.size(file) + " B";
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.joining(", "));
        }
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
}
