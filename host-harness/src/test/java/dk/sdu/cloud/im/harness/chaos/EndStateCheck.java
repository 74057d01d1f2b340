package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.harness.chaos.ChaosCluster.ClusterObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The end-state rules of a run, applied to what the IM's store and the cluster hold:
 * <ul>
 *   <li>every job is in a state its requests allow ({@link ExpectedStates}): RUNNING, SUSPENDED, a final state
 *       for a terminated job, not in the store for a job never created; IN_QUEUE is never an end;</li>
 *   <li>no job that the IM accepted a request for is missing from its store;</li>
 *   <li>no terminated job (a final state in the store, or one whose requests allow nothing but terminated) has a
 *       VirtualMachine;</li>
 *   <li>no object exists that no live job owns: objects are attributed by their {@code ucloud.dk/jobId} label,
 *       else by the names the KubeVirt backend gives ({@code vm-<id>-0...}, {@code j-<id>}, {@code j-<id>-ssh},
 *       {@code policy-<id>}), so PersistentVolumes, Services and Secrets of a job are found without the label;</li>
 *   <li>the cluster agrees with the store for live jobs: a RUNNING job's VM is not halted, a SUSPENDED job's VM is.</li>
 * </ul>
 */
final class EndStateCheck {
    private static final Pattern JOB_NAME = Pattern.compile("^(?:vm-([^-]+)-0(?:-.*)?|j-([^-]+)(?:-ssh)?|policy-([^-]+))$");
    private static final String HALTED = "Halted";

    private EndStateCheck() {
    }

    /**
     * @param histories per job of the run, its requests in order
     * @param stored    the IM's store: job id to state name
     * @param objects   the cluster's objects of the jobs' kinds
     */
    static List<Violation> check(Map<String, List<Step>> histories, Map<String, String> stored, List<ClusterObject> objects) {
        List<Violation> violations = new ArrayList<>();
        Map<String, List<ClusterObject>> byJob = new LinkedHashMap<>();
        for (ClusterObject object : objects) {
            Optional<String> owner = owner(object);
            if (owner.isEmpty()) {
                violations.add(new Violation(Violation.Kind.ORPHAN, null, object + " belongs to no job (no "
                        + ChaosCluster.JOB_ID_LABEL + " label, and its name is not a job's)"));
            } else {
                byJob.computeIfAbsent(owner.get(), id -> new ArrayList<>()).add(object);
            }
        }
        for (Map.Entry<String, List<ClusterObject>> entry : byJob.entrySet()) {
            if (!histories.containsKey(entry.getKey())) {
                violations.add(new Violation(Violation.Kind.ORPHAN, entry.getKey(), "a job this run never sent has "
                        + describe(entry.getValue())));
            }
        }
        for (Map.Entry<String, List<Step>> entry : histories.entrySet()) {
            String jobId = entry.getKey();
            List<Step> history = entry.getValue();
            checkJob(jobId, history, stored.get(jobId), byJob.getOrDefault(jobId, List.of()), violations);
        }
        violations.sort(Comparator.comparing(Violation::kind)
                .thenComparing(v -> v.jobId() == null ? "" : v.jobId()));
        return violations;
    }

    private static void checkJob(String jobId, List<Step> history, String state, List<ClusterObject> objects,
                                 List<Violation> violations) {
        Set<Intent> admissible = ExpectedStates.admissible(history);
        String requests = history.stream().map(Step::toString).collect(Collectors.joining(", "));
        Intent observed = observed(state);
        if (observed == null || !admissible.contains(observed)) {
            violations.add(new Violation(Violation.Kind.STATE, jobId, (state == null ? "not in the IM's store"
                    : "the IM says " + state) + ", expected " + expected(admissible) + " after " + requests));
        }
        if (state == null && ExpectedStates.mustBeKnown(history)) {
            violations.add(new Violation(Violation.Kind.LOST, jobId, "the IM accepted a request for it but its store "
                    + "does not have it (" + requests + ")"));
        }
        Optional<ClusterObject> vm = objects.stream().filter(o -> o.kind().equals("VirtualMachine")).findFirst();
        boolean terminated = observed == Intent.TERMINATED || admissible.equals(Set.of(Intent.TERMINATED));
        if (terminated && vm.isPresent()) {
            violations.add(new Violation(Violation.Kind.TERMINATED_WITH_VM, jobId, "terminated ("
                    + (state == null ? "not in the store" : state) + ") but " + vm.get() + " exists"));
        }
        if ((observed == Intent.TERMINATED || state == null) && !objects.isEmpty()) {
            violations.add(new Violation(Violation.Kind.ORPHAN, jobId, (state == null ? "unknown to the IM" : state)
                    + " but has " + describe(objects)));
        }
        if (observed == Intent.RUNNING && (vm.isEmpty() || HALTED.equals(vm.get().runStrategy()))) {
            violations.add(new Violation(Violation.Kind.CLUSTER, jobId, "the IM says RUNNING but "
                    + (vm.isEmpty() ? "it has no VirtualMachine" : vm.get() + " is " + HALTED)));
        }
        if (observed == Intent.SUSPENDED && (vm.isEmpty() || !HALTED.equals(vm.get().runStrategy()))) {
            violations.add(new Violation(Violation.Kind.CLUSTER, jobId, "the IM says SUSPENDED but "
                    + (vm.isEmpty() ? "it has no VirtualMachine" : vm.get() + " has runStrategy " + vm.get().runStrategy())));
        }
    }

    /** The intent a stored state shows, or null for one that is no end (IN_QUEUE, or unknown). */
    static Intent observed(String state) {
        if (state == null) {
            return Intent.ABSENT;
        }
        return switch (state) {
            case "RUNNING" -> Intent.RUNNING;
            case "SUSPENDED" -> Intent.SUSPENDED;
            case "SUCCESS", "FAILURE", "EXPIRED" -> Intent.TERMINATED;
            default -> null;
        };
    }

    /** The job an object belongs to: its label, else its name. */
    static Optional<String> owner(ClusterObject object) {
        if (object.jobId() != null) {
            return Optional.of(object.jobId());
        }
        Matcher matcher = JOB_NAME.matcher(object.name());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        for (int group = 1; group <= matcher.groupCount(); group++) {
            if (matcher.group(group) != null) {
                return Optional.of(matcher.group(group));
            }
        }
        return Optional.empty();
    }

    private static String expected(Set<Intent> admissible) {
        return admissible.stream().map(intent -> switch (intent) {
            case ABSENT -> "not in the store";
            case RUNNING -> "RUNNING";
            case SUSPENDED -> "SUSPENDED";
            case TERMINATED -> "a final state";
        }).collect(Collectors.joining(" or "));
    }

    private static String describe(List<ClusterObject> objects) {
        return objects.size() + (objects.size() == 1 ? " object: " : " objects: ")
                + objects.stream().map(ClusterObject::toString).collect(Collectors.joining(", "));
    }
}
