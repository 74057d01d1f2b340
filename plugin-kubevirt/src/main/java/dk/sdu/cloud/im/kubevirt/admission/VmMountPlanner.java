package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.job.AppParameterValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Decides where each folder appears in the guest (research section 3): the three UCloud mounts, then each
 * folder resource of the job at its explicit {@code mountPath} or at {@code /work/<folder name>}, with
 * {@code -1}, {@code -2}, ... appended when names collide. Collisions are resolved in the order of the
 * folders' provider paths, so the same folders get the same guest paths however Core orders them.
 */
final class VmMountPlanner {
    private static final String WORK_PATH = GuestLayout.WORK;
    private static final List<String> RESERVED = GuestLayout.reservedPaths();

    /** The outcome: the mounts when {@code problems} is empty. */
    record Result(List<VmMount> mounts, List<String> problems) {
    }

    private final ProviderFileSystem fileSystem;

    VmMountPlanner(ProviderFileSystem fileSystem) {
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
    }

    Result plan(String jobFolder, List<AppParameterValue> resources) {
        List<String> problems = new ArrayList<>();
        List<VmMount> mounts = new ArrayList<>(ucloudMounts(jobFolder));

        List<Folder> folders = new ArrayList<>();
        int index = 0;
        for (AppParameterValue resource : resources) {
            if (AppParameterValue.FILE.equals(resource.type())) {
                folder(index++, resource, problems).ifPresent(folders::add);
            }
        }
        rejectDuplicateExplicitPaths(folders, problems);
        Map<Integer, String> guestPaths = assignGuestPaths(folders);
        for (Folder folder : folders) {
            mounts.add(VmMount.of(VmMount.Kind.USER_FOLDER, "r" + folder.index(), guestPaths.get(folder.index()),
                    folder.relativeFolder(), folder.readOnly()));
        }
        return new Result(problems.isEmpty() ? List.copyOf(mounts) : List.of(), List.copyOf(problems));
    }

    private static List<VmMount> ucloudMounts(String jobFolder) {
        return List.of(
                VmMount.of(VmMount.Kind.UCLOUD, "opt", GuestLayout.OPT_UCLOUD, GuestLayout.EXECUTABLES_FOLDER, true),
                VmMount.of(VmMount.Kind.UCLOUD, "etc", GuestLayout.ETC_UCLOUD, jobFolder + "/config", true),
                VmMount.of(VmMount.Kind.UCLOUD, "work", GuestLayout.WORK, jobFolder + "/work", false));
    }

    /** A folder resource: its explicit guest path, or the name from which its default path is made. */
    private record Folder(int index, String ucloudPath, String relativeFolder, boolean readOnly,
                          String explicitPath, String defaultName) {
    }

    private Optional<Folder> folder(int index, AppParameterValue resource, List<String> problems) {
        String path = resource.path();
        if (path == null || path.isBlank()) {
            problems.add("Folder number " + (index + 1) + " has no path.");
            return Optional.empty();
        }
        if (UserText.hasControlCharacter(path)) {
            problems.add("The folder '" + UserText.printable(path) + "' cannot be mounted: its path has control "
                    + "characters.");
            return Optional.empty();
        }
        String relative;
        try {
            relative = fileSystem.resolveUCloudPath(path);
        } catch (IllegalArgumentException e) {
            problems.add("The folder '" + path + "' cannot be mounted: " + e.getMessage());
            return Optional.empty();
        }
        if (!isRelativeFolder(relative)) {
            problems.add("The folder '" + path + "' cannot be mounted: the provider's file system maps it to '"
                    + UserText.printable(relative) + "', which is not a folder below its mount point.");
            return Optional.empty();
        }
        String mountPath = resource.mountPath();
        if (mountPath != null && !mountPath.isBlank()) {
            return explicitPath(mountPath, problems).map(guestPath ->
                    new Folder(index, path, relative, resource.readOnlyOrFalse(), guestPath, null));
        }
        return defaultName(path, problems).map(name ->
                new Folder(index, path, relative, resource.readOnlyOrFalse(), null, name));
    }

    private static Optional<String> explicitPath(String requested, List<String> problems) {
        String path = requested;
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.startsWith("/") || hasControlCharacter(path) || !isNormalized(path)) {
            problems.add("The mount path '" + requested + "' must be an absolute path without '.', '..', "
                    + "empty parts or control characters.");
            return Optional.empty();
        }
        for (String reserved : RESERVED) {
            if (overlaps(path, reserved)) {
                problems.add("The mount path '" + requested + "' is reserved: " + String.join(", ", RESERVED)
                        + " (and the folders above and below them) are used by UCloud; folders without a mount "
                        + "path appear under " + WORK_PATH + ".");
                return Optional.empty();
            }
        }
        return Optional.of(path);
    }

    private static boolean isNormalized(String absolutePath) {
        if (absolutePath.equals("/")) {
            return true;
        }
        for (String part : absolutePath.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean overlaps(String path, String reserved) {
        return path.equals(reserved) || path.startsWith(reserved + "/") || reserved.startsWith(
                path.equals("/") ? "/" : path + "/");
    }

    private static Optional<String> defaultName(String ucloudPath, List<String> problems) {
        String path = ucloudPath;
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..") || hasControlCharacter(name)) {
            problems.add("The folder '" + ucloudPath + "' has no name that can be used in the machine; "
                    + "give it a mount path.");
            return Optional.empty();
        }
        return Optional.of(name);
    }

    private static boolean hasControlCharacter(String value) {
        return UserText.hasControlCharacter(value);
    }

    /**
     * Whether a path from the provider file system keeps its contract: relative, normalized, no control
     * characters. It becomes a PV's path on the nodes, so a mistake there must not reach a volume.
     */
    static boolean isRelativeFolder(String relative) {
        return relative != null && !relative.isEmpty() && !relative.startsWith("/")
                && !hasControlCharacter(relative) && isNormalized("/" + relative);
    }

    private static void rejectDuplicateExplicitPaths(List<Folder> folders, List<String> problems) {
        Map<String, List<String>> byPath = new LinkedHashMap<>();
        for (Folder folder : folders) {
            if (folder.explicitPath() != null) {
                byPath.computeIfAbsent(folder.explicitPath(), p -> new ArrayList<>()).add(folder.ucloudPath());
            }
        }
        byPath.forEach((path, users) -> {
            if (users.size() > 1) {
                problems.add("The mount path '" + path + "' is used by more than one folder: "
                        + String.join(", ", users) + ".");
            }
        });
    }

    private static Map<Integer, String> assignGuestPaths(List<Folder> folders) {
        Map<Integer, String> paths = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>(RESERVED);
        for (Folder folder : folders) {
            if (folder.explicitPath() != null) {
                paths.put(folder.index(), folder.explicitPath());
                taken.add(folder.explicitPath());
            }
        }
        List<Folder> defaults = folders.stream()
                .filter(f -> f.explicitPath() == null)
                .sorted(Comparator.comparing(Folder::relativeFolder).thenComparing(Folder::index))
                .toList();
        for (Folder folder : defaults) {
            String base = WORK_PATH + "/" + folder.defaultName();
            String candidate = base;
            for (int suffix = 1; taken.contains(candidate); suffix++) {
                candidate = base + "-" + suffix;
            }
            taken.add(candidate);
            paths.put(folder.index(), candidate);
        }
        return paths;
    }
}
