package dk.sdu.cloud.im.harness.fs;

import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The names a job's folder is made of (its id, its owner's user name and project), each checked to be usable as
 * one folder name ({@link FolderNames}), so that no job can name a folder outside its own.
 *
 * @param jobId   the job's id
 * @param user    {@code owner.createdBy}
 * @param project {@code owner.project}, for a project's job
 */
public record JobFolderOwner(String jobId, String user, Optional<String> project) {
    public JobFolderOwner {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(user, "user is null");
        requireNonNull(project, "project is null");
    }

    /**
     * The checked names of {@code job}.
     *
     * @throws IllegalArgumentException naming the field when the job has no owner or a name cannot be a folder's
     */
    public static JobFolderOwner of(Job job) {
        requireNonNull(job, "job is null");
        String id = segment("job id", job.id());
        JobOwner owner = job.owner();
        if (owner == null) {
            throw new IllegalArgumentException("job " + id + " has no owner");
        }
        return new JobFolderOwner(id, segment("owner.createdBy", owner.createdBy()),
                owner.projectId().map(project -> segment("owner.project", project)));
    }

    /** The job's folder below its owner's member files: {@code Jobs/VirtualMachines/<job id>}. */
    public String folderInMemberFiles() {
        return "Jobs/VirtualMachines/" + jobId;
    }

    private static String segment(String what, String value) {
        FolderNames.problem(value).ifPresent(problem -> {
            throw new IllegalArgumentException(what + " cannot be used as a folder name: it " + problem + " ('"
                    + FolderNames.printable(value) + "')");
        });
        return value;
    }
}
