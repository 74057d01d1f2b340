package dk.sdu.cloud.im.harness.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A harness killed with SIGKILL keeps every write the store acknowledged: a child JVM ({@link StoreKillWriter})
 * writes and prints a line after each call returned; the test kills it after a number of those lines drawn from
 * a fixed seed, reopens the store and looks for every acknowledged write. The acknowledgement lines are the only
 * ordering, no timing.
 *
 * <p>Half the rounds kill the writer while it waits after its last acknowledged write (no write under way, so
 * what the store must have is the same in every run), half while it is in the middle of a later write (which
 * leaves a torn journal record to be dropped, wherever the kill lands). In every other pair of rounds the journal
 * is bounded to {@value #SMALL_JOURNAL} bytes, so that the writer checkpoints (closes and reopens the database,
 * empties the journal) every few dozen writes and is killed between, or in, checkpoints.
 * {@code -Dstore.kill.rounds=N} and {@code -Dstore.kill.seed=S} draw other kill points.
 */
class H2JobStoreKillTest {
    private static final int MAX_ACKS_BEFORE_KILL = 300;
    private static final long SMALL_JOURNAL = 256 * 1024;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        int rounds = Integer.getInteger("store.kill.rounds", 8);
        long seed = Long.getLong("store.kill.seed", 42);
        Random random = new Random(seed);
        List<String> losses = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            int killAfter = 1 + random.nextInt(MAX_ACKS_BEFORE_KILL);
            boolean hold = round % 2 == 0;
            long journalLimit = round % 4 < 2 ? H2JobStore.JOURNAL_LIMIT_BYTES : SMALL_JOURNAL;
            Path file = dir.resolve("round-" + round + "/jobs");
            StoreKillWriter.writeAndKill(file, killAfter, hold, journalLimit);
            List<String> missing = StoreKillWriter.missingWrites(file, killAfter);
            if (!missing.isEmpty()) {
                losses.add("round " + round + " (killed " + (hold ? "waiting" : "writing") + " after " + killAfter
                        + ", journal bound " + journalLimit + "): " + missing);
            }
        }
        assertThat(losses).as("acknowledged writes lost after SIGKILL (seed %d, %d rounds)", seed, rounds)
                .isEmpty();
    }
}
