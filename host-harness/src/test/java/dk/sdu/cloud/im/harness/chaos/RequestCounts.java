package dk.sdu.cloud.im.harness.chaos;

import java.util.EnumMap;
import java.util.Map;

/** What the traffic sent and how it ended, per operation: requests, and the job items in them. */
final class RequestCounts {
    private final Map<Operation, Map<Outcome, int[]>> counts = new EnumMap<>(Operation.class);
    private final Map<String, Integer> errorStatuses = new java.util.TreeMap<>();

    synchronized void record(Operation operation, ProviderApi.Answer answer, int items) {
        int[] pair = counts.computeIfAbsent(operation, o -> new EnumMap<>(Outcome.class))
                .computeIfAbsent(answer.outcome(), o -> new int[2]);
        pair[0]++;
        pair[1] += items;
        if (answer.outcome() == Outcome.ERROR) {
            errorStatuses.merge(operation.word() + " " + answer.status(), 1, Integer::sum);
        }
    }

    /** Requests with this outcome (any operation); null outcome: all. */
    synchronized int requests(Outcome outcome) {
        return sum(outcome, 0);
    }

    /** Job items in requests with this outcome (any operation); null outcome: all. */
    synchronized int items(Outcome outcome) {
        return sum(outcome, 1);
    }

    /** One line per operation: {@code create: 12 requests (40 jobs): 10 accepted, 1 error, 1 no answer}. */
    synchronized String byOperation() {
        StringBuilder text = new StringBuilder();
        counts.forEach((operation, outcomes) -> {
            int requests = outcomes.values().stream().mapToInt(p -> p[0]).sum();
            int items = outcomes.values().stream().mapToInt(p -> p[1]).sum();
            text.append("  ").append(operation.word()).append(": ").append(requests).append(" requests (")
                    .append(items).append(" job items):");
            outcomes.forEach((outcome, pair) -> text.append(' ').append(pair[0]).append(' ')
                    .append(outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
            text.append('\n');
        });
        if (!errorStatuses.isEmpty()) {
            text.append("  error answers by status: ").append(errorStatuses).append('\n');
        }
        return text.toString();
    }

    private int sum(Outcome outcome, int index) {
        int total = 0;
        for (Map<Outcome, int[]> outcomes : counts.values()) {
            for (Map.Entry<Outcome, int[]> entry : outcomes.entrySet()) {
                if (outcome == null || entry.getKey() == outcome) {
                    total += entry.getValue()[index];
                }
            }
        }
        return total;
    }
}
