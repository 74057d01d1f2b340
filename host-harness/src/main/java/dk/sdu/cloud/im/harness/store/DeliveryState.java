package dk.sdu.cloud.im.harness.store;

/**
 * Where a recorded update is on its way to UCloud/Core: the store is the outbox of updates to Core
 * ({@link JobStore#pendingDeliveries}). The names are stored in the database and the journal: rename nothing.
 */
public enum DeliveryState {
    /** Recorded, not yet accepted by Core (or accepted, but that was not recorded before a crash). */
    PENDING,
    /** Core accepted it. Updates recorded before the store knew delivery (schema version 3) count as this. */
    DELIVERED,
    /** Not delivered because Core says the job does not exist (any more): nobody is left to tell. */
    DROPPED,
    /** Core refused it as bad (a 4xx that is not about the job's existence, access or Core's load). */
    REFUSED
}
