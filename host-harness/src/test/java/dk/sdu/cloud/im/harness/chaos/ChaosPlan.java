package dk.sdu.cloud.im.harness.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * What a run will do, drawn from its seed: each job's script of operations, and after how many finished
 * operations each kill comes.
 *
 * <p>A script is a create followed by one to four of suspend, unsuspend and terminate in random order; after a
 * terminate the script usually ends, but sometimes goes on (an IM must refuse to act on a terminated job). So
 * some jobs end running, some suspended, some terminated, and some are asked to do what makes no sense.
 *
 * @param scripts        per job, its operations
 * @param killThresholds per kill, the number of finished operations after which it comes (ascending)
 */
record ChaosPlan(List<JobScript> scripts, List<Integer> killThresholds) {
    private static final int FIRST_JOB_ID = 1001;

    ChaosPlan {
        scripts = List.copyOf(requireNonNull(scripts, "scripts is null"));
        killThresholds = List.copyOf(requireNonNull(killThresholds, "killThresholds is null"));
    }

    /** A job's id and its operations in order. */
    record JobScript(String jobId, List<Operation> operations) {
        JobScript {
            requireNonNull(jobId, "jobId is null");
            operations = List.copyOf(operations);
        }
    }

    static ChaosPlan draw(int jobs, int kills, Random random) {
        List<JobScript> scripts = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            scripts.add(new JobScript(Integer.toString(FIRST_JOB_ID + i), script(random)));
        }
        int total = scripts.stream().mapToInt(s -> s.operations().size()).sum();
        // Kills fall between 5 % and 90 % of the operations, so each lands while requests are in flight.
        int low = Math.max(1, total / 20);
        int high = Math.max(low + 1, total * 9 / 10);
        List<Integer> thresholds = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            thresholds.add(low + random.nextInt(high - low));
        }
        thresholds.sort(null);
        return new ChaosPlan(scripts, thresholds);
    }

    int totalOperations() {
        return scripts.stream().mapToInt(s -> s.operations().size()).sum();
    }

    private static List<Operation> script(Random random) {
        List<Operation> operations = new ArrayList<>();
        operations.add(Operation.CREATE);
        int more = 1 + random.nextInt(4);
        for (int i = 0; i < more; i++) {
            int draw = random.nextInt(100);
            Operation next = draw < 35 ? Operation.SUSPEND : draw < 70 ? Operation.UNSUSPEND : Operation.TERMINATE;
            operations.add(next);
            if (next == Operation.TERMINATE && random.nextInt(100) < 70) {
                break;
            }
        }
        return operations;
    }
}
