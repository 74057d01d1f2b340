/**
 * UCloud/Core's side of the job conversation, played by the harness: every job the provider API accepted
 * and every update a backend sent, kept in an embedded database on disk so that they survive a restart.
 *
 * <p>{@link dk.sdu.cloud.im.harness.store.JobStore} is the contract; {@link dk.sdu.cloud.im.harness.store.H2JobStore}
 * keeps it in an H2 file through plain JDBC, behind a write-ahead journal ({@code WriteAheadJournal}) that
 * makes every acknowledged write survive a kill. The store is also the host's
 * {@link dk.sdu.cloud.im.spi.host.JobUpdates}, so backends' updates land in it directly, and the durable outbox of
 * those updates to UCloud/Core ({@link dk.sdu.cloud.im.harness.store.DeliveryState}; the deliverer is in
 * {@code harness.core.outbox}).
 */
package dk.sdu.cloud.im.harness.store;
