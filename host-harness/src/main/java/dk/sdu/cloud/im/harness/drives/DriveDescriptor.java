package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.fs.FolderNames;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a drive is on this provider's file system, as its {@code providerGeneratedId} says (UCloud's IM writes
 * and reads the same ids): {@code h-<user>} a user's home, {@code p-<project>/<repository>} a project's
 * folder, {@code pm-<project>/<user>} a member's files in a project, {@code s-<share>} a share of another
 * folder, and no id (or an empty one) a collection. Every name in an id must be a folder name
 * ({@link FolderNames}), so that no drive reaches outside its folder.
 */
public sealed interface DriveDescriptor {

    /** The id Core keeps for the drive; empty for a collection. */
    Optional<String> providerGeneratedId();

    /**
     * Parses a drive's {@code providerGeneratedId}.
     *
     * @throws IllegalArgumentException when the id is none of the kinds above, or a name in it is not a folder
     *                                  name
     */
    static DriveDescriptor parse(Optional<String> providerGeneratedId) {
        requireNonNull(providerGeneratedId, "providerGeneratedId is null");
        if (providerGeneratedId.isEmpty() || providerGeneratedId.get().isEmpty()) {
            return new Collection();
        }
        String id = providerGeneratedId.get();
        if (id.startsWith("h-")) {
            return new Home(name(id, "user", id.substring(2)));
        }
        if (id.startsWith("pm-")) {
            String[] parts = pair(id, id.substring(3), "pm-<project>/<user>");
            return new MemberFiles(name(id, "project", parts[0]), name(id, "user", parts[1]));
        }
        if (id.startsWith("p-")) {
            String[] parts = pair(id, id.substring(2), "p-<project>/<repository>");
            return new ProjectRepository(name(id, "project", parts[0]), name(id, "repository", parts[1]));
        }
        if (id.startsWith("s-")) {
            return new Share(name(id, "share id", id.substring(2)));
        }
        throw new IllegalArgumentException("the drive's providerGeneratedId '" + FolderNames.printable(id)
                + "' is none this provider knows (h-<user>, p-<project>/<repository>, pm-<project>/<user>,"
                + " s-<share>, or none for a collection)");
    }

    /** The drive of a workspace's member files: the user's home, or the user's files in the project. */
    static MemberFilesDrive memberFilesOf(String user, Optional<String> project) {
        requireNonNull(project, "project is null");
        return project.isPresent() ? new MemberFiles(project.get(), user) : new Home(user);
    }

    /** A drive that is a folder of this provider's file system (every kind but a share). */
    sealed interface LocalDrive extends DriveDescriptor {
        /** The drive's folder relative to the mount point, for the drive with Core's id {@code driveId}. */
        String folder(String driveId);
    }

    /** A drive that holds a workspace's member files (the {@code Jobs} folder among them). */
    sealed interface MemberFilesDrive extends LocalDrive {
        /** The title UCloud's IM gives the drive when it registers it. */
        String title();

        /** The product id UCloud's IM registers the drive with, given {@code services.fileSystem.name}. */
        String productId(String fileSystemName);

        /** The drive's owner. */
        String user();

        /** The drive's project, if any. */
        Optional<String> project();

        @Override
        default Optional<String> providerGeneratedId() {
            return Optional.of(project().map(p -> "pm-" + p + "/" + user()).orElse("h-" + user()));
        }
    }

    /** {@code h-<user>}: {@code home/<user>}. */
    record Home(String user) implements MemberFilesDrive {
        public Home {
            name("h-" + user, "user", user);
        }

        @Override
        public String folder(String driveId) {
            return "home/" + user;
        }

        @Override
        public String title() {
            return "Home";
        }

        @Override
        public String productId(String fileSystemName) {
            return fileSystemName;
        }

        @Override
        public Optional<String> project() {
            return Optional.empty();
        }
    }

    /** {@code pm-<project>/<user>}: {@code projects/<project>/Members' Files/<user>}. */
    record MemberFiles(String projectId, String user) implements MemberFilesDrive {
        /** The product id UCloud's IM registers member files with, whatever the file system's name. */
        public static final String PRODUCT_ID = "project-home";

        public MemberFiles {
            name("pm-" + projectId + "/" + user, "project", projectId);
            name("pm-" + projectId + "/" + user, "user", user);
        }

        @Override
        public String folder(String driveId) {
            return "projects/" + projectId + "/Members' Files/" + user;
        }

        @Override
        public String title() {
            return "Member Files: " + user;
        }

        @Override
        public String productId(String fileSystemName) {
            return PRODUCT_ID;
        }

        @Override
        public Optional<String> project() {
            return Optional.of(projectId);
        }
    }

    /** {@code p-<project>/<repository>}: {@code projects/<project>/<repository>}. */
    record ProjectRepository(String project, String repository) implements LocalDrive {
        public ProjectRepository {
            name("p-" + project + "/" + repository, "project", project);
            name("p-" + project + "/" + repository, "repository", repository);
        }

        @Override
        public String folder(String driveId) {
            return "projects/" + project + "/" + repository;
        }

        @Override
        public Optional<String> providerGeneratedId() {
            return Optional.of("p-" + project + "/" + repository);
        }
    }

    /** No {@code providerGeneratedId}: {@code collections/<drive id>}. */
    record Collection() implements LocalDrive {
        @Override
        public String folder(String driveId) {
            name("drive " + driveId, "drive id", driveId);
            return "collections/" + driveId;
        }

        @Override
        public Optional<String> providerGeneratedId() {
            return Optional.empty();
        }
    }

    /** {@code s-<share>}: the folder the share Core knows by that id points at. */
    record Share(String shareId) implements DriveDescriptor {
        public Share {
            name("s-" + shareId, "share id", shareId);
        }

        @Override
        public Optional<String> providerGeneratedId() {
            return Optional.of("s-" + shareId);
        }
    }

    private static String[] pair(String id, String rest, String form) {
        String[] parts = rest.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("the drive's providerGeneratedId '" + FolderNames.printable(id)
                    + "' must be " + form + " with exactly one '/'");
        }
        return parts;
    }

    private static String name(String id, String what, String value) {
        FolderNames.problem(value).ifPresent(problem -> {
            throw new IllegalArgumentException("the " + what + " in the drive '" + FolderNames.printable(id)
                    + "' cannot be a folder name: it " + problem);
        });
        return value;
    }
}
