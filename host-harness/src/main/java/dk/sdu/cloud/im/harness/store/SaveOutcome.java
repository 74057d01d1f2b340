package dk.sdu.cloud.im.harness.store;

/** What saving a job did. */
public enum SaveOutcome {
    /** The job was new and is now recorded. */
    CREATED,
    /** The same job (equal JSON) was already recorded; nothing changed. */
    UNCHANGED
}
