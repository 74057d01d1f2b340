/**
 * The delivery of job updates to UCloud/Core: the job store is the durable outbox
 * ({@link dk.sdu.cloud.im.harness.store.JobStore#pendingDeliveries}) and
 * {@link dk.sdu.cloud.im.harness.core.outbox.CoreUpdateOutbox} sends what it holds, at least once and in order per
 * job.
 */
package dk.sdu.cloud.im.harness.core.outbox;
