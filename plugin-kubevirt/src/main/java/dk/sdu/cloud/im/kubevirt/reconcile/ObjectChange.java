package dk.sdu.cloud.im.kubevirt.reconcile;

import static java.util.Objects.requireNonNull;

/**
 * What a reconcile did to one object.
 *
 * @param kind   the object's kind
 * @param name   its name
 * @param action what was done
 */
public record ObjectChange(String kind, String name, Action action) {

    /** What was done to an object. */
    public enum Action { CREATED, UPDATED, UNCHANGED, DELETED }

    public ObjectChange {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(action, "action is null");
    }

    @Override
    public String toString() {
        return action.name().toLowerCase(java.util.Locale.ROOT) + " " + kind + "/" + name;
    }
}
