package dk.sdu.cloud.im.kubevirt.reconcile;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one reconcile of a job did, object by object, in the order it went.
 *
 * @param changes one entry per object looked at
 */
public record ReconcileResult(List<ObjectChange> changes) {

    public ReconcileResult {
        changes = List.copyOf(requireNonNull(changes, "changes is null"));
    }

    /** Whether nothing was written. */
    public boolean unchanged() {
        return changes.stream().allMatch(change -> change.action() == ObjectChange.Action.UNCHANGED);
    }

    /** The changes of one kind of action. */
    public List<ObjectChange> only(ObjectChange.Action action) {
        return changes.stream().filter(change -> change.action() == action).toList();
    }
}
