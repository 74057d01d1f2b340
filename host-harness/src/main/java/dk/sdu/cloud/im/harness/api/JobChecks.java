package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.fs.FolderNames;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.job.JobSpecification;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.job.ProductReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The rules every job in a request must keep before any backend sees it: whatever the host or a plugin
 * turns into folder names, paths, Kubernetes names or log lines is present and harmless, and the job is
 * this provider's. A job that breaks a rule is refused (400) with each broken rule named by its key path,
 * e.g. {@code items[0].owner.createdBy}.
 *
 * <p>What depends on the compute backend (a VM's single node, its ports and mounts) is the backend's
 * admission; these rules hold for every job.
 */
final class JobChecks {
    private final String providerId;

    JobChecks(String providerId) {
        this.providerId = requireNonNull(providerId, "providerId is null");
    }

    /**
     * Whether a job of any request (create, terminate, suspend, unsuspend) keeps the rules; otherwise its
     * item gets one problem listing every broken rule.
     *
     * @param path where the job is in the request, e.g. {@code items[0]}
     */
    boolean passes(Job job, String path, int index, Problems problems) {
        return report(job, path, index, problems, problemsOf(job, path));
    }

    /** {@link #passes}, and the rules of a job being created. */
    boolean passesAsNew(Job job, String path, int index, Problems problems) {
        List<String> found = new ArrayList<>();
        JobState state = job.status() == null ? null : job.status().state();
        if (state != null && state != JobState.IN_QUEUE) {
            found.add(path + ".status.state: a new job is " + JobState.IN_QUEUE + " (or has no state), got "
                    + state);
        }
        return report(job, path, index, problems, found);
    }

    private static boolean report(Job job, String path, int index, Problems problems, List<String> found) {
        if (found.isEmpty()) {
            return true;
        }
        problems.reject(index, job.id(), String.join("; ", found));
        return false;
    }

    private List<String> problemsOf(Job job, String path) {
        List<String> found = new ArrayList<>();
        name(path + ".id", job.id(), found);
        owner(job.owner(), path + ".owner", found);
        JobSpecification spec = job.specification();
        if (spec == null) {
            found.add(path + ".specification: a job needs a specification");
            return found;
        }
        String specPath = path + ".specification";
        if (spec.replicas() < 1) {
            found.add(specPath + ".replicas: must be a positive integer, got " + spec.replicas());
        }
        application(spec.application(), specPath + ".application", found);
        product(spec.product(), specPath + ".product", found);
        for (Map.Entry<String, AppParameterValue> parameter : spec.parameters().entrySet()) {
            String parameterPath = specPath + ".parameters." + parameter.getKey();
            if (FolderNames.hasControlCharacter(parameter.getKey())) {
                found.add(specPath + ".parameters: the name '" + FolderNames.printable(parameter.getKey())
                        + "' has control characters");
            }
            value(parameter.getValue(), parameterPath, found);
        }
        for (int i = 0; i < spec.resources().size(); i++) {
            value(spec.resources().get(i), specPath + ".resources[" + i + "]", found);
        }
        noControlCharacters(specPath + ".hostname", spec.hostname(), found);
        return found;
    }

    private static void owner(JobOwner owner, String path, List<String> found) {
        if (owner == null) {
            found.add(path + ": a job needs an owner ({\"createdBy\": ..., \"project\": ...})");
            return;
        }
        name(path + ".createdBy", owner.createdBy(), found);
        if (owner.project() != null && !owner.project().isEmpty()) {
            name(path + ".project", owner.project(), found);
        }
    }

    /** A value that becomes a folder name (job id, user, project). */
    private static void name(String path, String value, List<String> found) {
        FolderNames.problem(value).ifPresent(problem -> found.add(path + ": " + problem
                + (value == null || value.isEmpty() ? "" : " ('" + FolderNames.printable(value) + "')")));
    }

    private static void application(NameAndVersion application, String path, List<String> found) {
        if (application == null) {
            found.add(path + ": a job needs an application ({\"name\": ..., \"version\": ...})");
            return;
        }
        text(path + ".name", application.name(), found);
        text(path + ".version", application.version(), found);
    }

    private void product(ProductReference product, String path, List<String> found) {
        if (product == null) {
            found.add(path + ": a job needs a product ({\"id\", \"category\", \"provider\"})");
            return;
        }
        text(path + ".id", product.id(), found);
        text(path + ".category", product.category(), found);
        if (product.provider() == null || !product.provider().equals(providerId)) {
            found.add(path + ".provider: must be this provider, '" + providerId + "', got "
                    + (product.provider() == null ? "nothing" : "'" + FolderNames.printable(product.provider()) + "'"));
        }
    }

    /** A file or folder: its path and mount path become folder names, PV paths and guest paths. */
    private static void value(AppParameterValue value, String path, List<String> found) {
        if (value == null) {
            found.add(path + ": expected a value, got null");
            return;
        }
        if (!AppParameterValue.FILE.equals(value.type())) {
            return;
        }
        if (value.path() == null || value.path().isBlank()) {
            found.add(path + ".path: a file needs a path");
        } else {
            noControlCharacters(path + ".path", value.path(), found);
        }
        noControlCharacters(path + ".mountPath", value.mountPath(), found);
    }

    /** A value that must be there, and whose text ends up in names, labels or logs. */
    private static void text(String path, String value, List<String> found) {
        if (value == null || value.isBlank()) {
            found.add(path + ": " + (value == null ? "is missing" : "is empty"));
            return;
        }
        noControlCharacters(path, value, found);
    }

    private static void noControlCharacters(String path, String value, List<String> found) {
        if (value != null && FolderNames.hasControlCharacter(value)) {
            found.add(path + ": may not contain control characters (U+0000-U+001F, U+007F-U+009F), got '"
                    + FolderNames.printable(value) + "'");
        }
    }
}
