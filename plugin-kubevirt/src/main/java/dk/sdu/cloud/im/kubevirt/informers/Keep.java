package dk.sdu.cloud.im.kubevirt.informers;

/** What an informer keeps of each object (besides dropping {@code metadata.managedFields}, which none reads). */
public enum Keep {
    /**
     * The whole object: for the kinds the reconciler compares and writes back (a write needs the object as the
     * server has it, never a pruned one).
     */
    WHOLE,
    /**
     * The object without its {@code spec}: for kinds only read for their state (VMIs, launcher pods), never
     * written by the plugin.
     */
    METADATA_AND_STATUS
}
