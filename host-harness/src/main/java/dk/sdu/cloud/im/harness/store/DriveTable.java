package dk.sdu.cloud.im.harness.store;

import java.util.Optional;

/**
 * The drives the IM has learnt from UCloud/Core, kept with the job store so that a restarted IM does not ask
 * Core again. Safe to use from several threads; no call waits for the network.
 */
public interface DriveTable {

    /** The drive with Core's id {@code driveId}, if known here. */
    Optional<KnownDrive> find(String driveId);

    /**
     * The drive made with {@code providerGeneratedId}, if known here; when several are (a drive deleted and made
     * again in Core), the one learnt last.
     */
    Optional<KnownDrive> findByProviderGeneratedId(String providerGeneratedId);

    /** Keeps {@code drive}, replacing what was known of the same id. */
    void remember(KnownDrive drive);
}
