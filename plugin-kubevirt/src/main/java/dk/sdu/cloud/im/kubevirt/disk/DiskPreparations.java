package dk.sdu.cloud.im.kubevirt.disk;

import java.util.concurrent.CompletableFuture;

/**
 * What a VM job's lifecycle asks of disk preparation. {@link DiskPreparer} does it (golden image cache,
 * qemu-img); a test of the lifecycle may give its own. See {@link DiskPreparer} for what each method promises.
 */
public interface DiskPreparations extends AutoCloseable {

    /** Prepares the job's disk in the background; joins a preparation of the job that runs. */
    CompletableFuture<PreparedDisk> prepare(DiskPreparationRequest request, DiskPreparationListener listener);

    /** Whether the job's disk is there already and no preparation of it runs; quick, on the caller's thread. */
    boolean isPrepared(DiskPreparationRequest request);

    /** Stops the job's preparation; returns whether there was one. */
    boolean cancel(String jobId);

    /** Stops every preparation. */
    @Override
    void close();
}
