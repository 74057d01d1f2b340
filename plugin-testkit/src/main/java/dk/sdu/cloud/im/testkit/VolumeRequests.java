package dk.sdu.cloud.im.testkit;

import dk.sdu.cloud.im.spi.storage.VolumeRequest;

/**
 * Volume requests as the KubeVirt backend makes them for a VM job: the job's folder (read-write) and the
 * folders mounted into the VM.
 */
public final class VolumeRequests {
    /** The capacity the requests state, in GiB. */
    public static final long CAPACITY_GIB = 60;

    private VolumeRequests() {
    }

    /** The volume of job {@code jobId}'s own folder, {@code home/<user>/Jobs/VirtualMachines/<jobId>}. */
    public static VolumeRequest jobFolder(String jobId, String user) {
        return new VolumeRequest("vm-" + jobId + "-0", jobId, 0, CAPACITY_GIB,
                "home/" + user + "/Jobs/VirtualMachines/" + jobId, false);
    }

    /**
     * The volume of a folder mounted into job {@code jobId}'s VM.
     *
     * @param suffix         what makes the volume's name unique, e.g. {@code r0}
     * @param relativeFolder the folder, relative to the provider file system's mount point
     */
    public static VolumeRequest folder(String jobId, String suffix, String relativeFolder, boolean readOnly) {
        return new VolumeRequest("vm-" + jobId + "-0-" + suffix, jobId, 0, CAPACITY_GIB, relativeFolder, readOnly);
    }
}
