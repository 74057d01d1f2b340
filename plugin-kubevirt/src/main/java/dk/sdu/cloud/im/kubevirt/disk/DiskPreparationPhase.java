package dk.sdu.cloud.im.kubevirt.disk;

/** Where a disk preparation is. Events of one preparation arrive in this order, skipping phases not needed. */
public enum DiskPreparationPhase {
    /** The golden image is being downloaded (by this job, or by another job of the same application). */
    DOWNLOADING,
    /** The download is checked: its SHA-256 when the application gives one, and that qemu-img reads it. */
    VERIFYING,
    /** The golden image is being converted into the job's raw disk. */
    CONVERTING,
    /**
     * The job's disk is being finished at the requested size: made at that size before the convert, its size
     * is checked, its owner set and it is forced to disk. The name is kept for listeners that know it.
     */
    RESIZING,
    /** The job's {@code disk.img} is complete. Final. */
    DONE,
    /** The preparation failed; nothing partial was left behind and calling again retries. Final. */
    FAILED
}
