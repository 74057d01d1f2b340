package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.core.CoreCallException;
import dk.sdu.cloud.im.harness.core.CoreTransport;
import dk.sdu.cloud.im.harness.store.KnownDrive;
import dk.sdu.cloud.im.spi.host.HostServiceUnavailableException;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * UCloud/Core's drive and share control calls, as UCloud's IM makes them: {@code GET
 * /api/files/collections/control/retrieve}, {@code .../browse} (by {@code providerGeneratedId}), {@code POST
 * .../register} and {@code GET /api/shares/control/retrieve}. Core's 404 (and 403: not this provider's) means
 * the drive or share does not exist; any other failure means Core cannot be used now
 * ({@link HostServiceUnavailableException}), never that the user asked for something wrong.
 */
public final class CoreDrives {
    static final String RETRIEVE = "/api/files/collections/control/retrieve";
    static final String BROWSE = "/api/files/collections/control/browse";
    static final String REGISTER = "/api/files/collections/control/register";
    static final String RETRIEVE_SHARE = "/api/shares/control/retrieve";
    /** Core's answer to a register of a providerGeneratedId it has already. */
    private static final int CONFLICT = 409;

    private final CoreTransport core;
    private final Clock clock;

    public CoreDrives(CoreTransport core, Clock clock) {
        this.core = requireNonNull(core, "core is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The drive with Core's id {@code driveId}; empty when Core does not know it. */
    public Optional<KnownDrive> retrieve(String driveId) {
        requireNonNull(driveId, "driveId is null");
        // The flags of UCloud's IM (DrivesControlRetrieveRequest with includeOthers): booleans are always sent.
        Map<String, String> query = resourceFlags(true);
        query.put("id", driveId);
        return getOrEmpty(RETRIEVE, query, "look up drive " + driveId).map(drive -> drive(drive, RETRIEVE));
    }

    /**
     * The drive Core has with {@code providerGeneratedId} for this provider, if any: a browse filtered by
     * {@code filterProviderIds}, which Core answers from its index of providers' ids.
     */
    public Optional<KnownDrive> findByProviderGeneratedId(String providerGeneratedId) {
        requireNonNull(providerGeneratedId, "providerGeneratedId is null");
        Map<String, String> query = resourceFlags(false);
        query.put("itemsPerPage", "250");
        query.put("filterProviderIds", providerGeneratedId);
        JsonNode page;
        try {
            page = core.get(BROWSE, query);
        } catch (CoreCallException e) {
            throw unavailable("look up the drive " + providerGeneratedId, e);
        }
        for (JsonNode item : page.path("items")) {
            KnownDrive drive = drive(item, BROWSE);
            if (drive.providerGeneratedId().equals(Optional.of(providerGeneratedId))) {
                return Optional.of(drive);
            }
        }
        return Optional.empty();
    }

    /**
     * Registers a member-files drive as UCloud's IM does (its title, product and owner); the drive as now known.
     * Empty when Core has a drive with that providerGeneratedId already (409).
     *
     * @param fileSystemName {@code services.fileSystem.name}: the product category, and the product of a home
     * @param providerId     this provider's id
     */
    public Optional<KnownDrive> register(DriveDescriptor.MemberFilesDrive drive, String fileSystemName,
                                         String providerId) {
        requireNonNull(drive, "drive is null");
        String providerGeneratedId = drive.providerGeneratedId().orElseThrow();
        Product product = new Product(drive.productId(fileSystemName), fileSystemName, providerId);
        Registration registration = new Registration(new Specification(drive.title(), product, null),
                providerGeneratedId, drive.user(), drive.project().orElse(null), false, false);
        JsonNode answer;
        try {
            answer = core.post(REGISTER, Map.of("items", List.of(registration)));
        } catch (CoreCallException e) {
            if (e.status() == CONFLICT) {
                return Optional.empty();
            }
            throw unavailable("register the drive " + providerGeneratedId, e);
        }
        String id = answer.path("responses").path(0).path("id").asString("");
        if (id.isEmpty()) {
            throw new HostServiceUnavailableException("UCloud/Core answered the registration of the drive "
                    + providerGeneratedId + " without its id (POST " + REGISTER + ")", null);
        }
        return Optional.of(new KnownDrive(id, Optional.of(providerGeneratedId), drive.user(), drive.project(),
                product.id(), product.category(), product.provider(), clock.millis()));
    }

    /** The UCloud path the share {@code shareId} points at ({@code sourceFilePath}); empty when Core does not know it. */
    public Optional<String> shareSource(String shareId) {
        requireNonNull(shareId, "shareId is null");
        Map<String, String> query = resourceFlags(false);
        query.put("filterIngoing", "false");
        query.put("id", shareId);
        Optional<JsonNode> found = getOrEmpty(RETRIEVE_SHARE, query, "look up share " + shareId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        JsonNode share = found.get();
        String source = share.path("specification").path("sourceFilePath").asString("");
        if (source.isEmpty()) {
            throw new HostServiceUnavailableException("UCloud/Core's answer for share " + shareId
                    + " has no specification.sourceFilePath (GET " + RETRIEVE_SHARE + ")", null);
        }
        return Optional.of(source);
    }

    private KnownDrive drive(JsonNode drive, String call) {
        String id = text(drive.path("id"));
        String createdBy = text(drive.path("owner").path("createdBy"));
        JsonNode product = drive.path("specification").path("product");
        if (id.isEmpty()) {
            throw new HostServiceUnavailableException("UCloud/Core's answer to GET " + call + " is not a drive: it"
                    + " has no id", null);
        }
        Optional<String> providerGeneratedId = Optional.of(text(drive.path("providerGeneratedId")))
                .filter(s -> !s.isEmpty());
        Optional<String> project = Optional.of(text(drive.path("owner").path("project"))).filter(s -> !s.isEmpty());
        return new KnownDrive(id, providerGeneratedId, createdBy, project, text(product.path("id")),
                text(product.path("category")), text(product.path("provider")), clock.millis());
    }

    /** A string field, or "" when it is missing or null (Core leaves empty fields out). */
    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : node.isNumber() ? node.asString() : "";
    }

    /** ResourceFlags' booleans, which UCloud's client always sends (its options only when set). */
    private static Map<String, String> resourceFlags(boolean includeOthers) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("includeOthers", Boolean.toString(includeOthers));
        query.put("includeUpdates", "false");
        query.put("includeSupport", "false");
        query.put("includeProduct", "false");
        return query;
    }

    /** @param action what the IM wanted, as the words after "to", e.g. {@code look up drive 17} */
    private static HostServiceUnavailableException unavailable(String action, CoreCallException e) {
        String reason = e.retryable() ? "UCloud/Core cannot be reached now" : "UCloud/Core refused the IM's call";
        return new HostServiceUnavailableException(reason + " to " + action + " (" + e.getMessage()
                + "); try again later", e);
    }

    /** {@code spec.product} of a registration. */
    record Product(String id, String category, String provider) {
    }

    /** {@code spec} of a registration; {@code labels} is written as null, as UCloud's IM does. */
    record Specification(String title, Product product, Map<String, String> labels) {
    }

    /** One item of {@code control/register}. */
    record Registration(Specification spec, String providerGeneratedId, String createdBy, String project,
                        boolean projectAllRead, boolean projectAllWrite) {
    }

    /** Core's answer to a retrieve; empty when Core does not know the resource (404, 403). */
    private Optional<JsonNode> getOrEmpty(String path, Map<String, String> query, String what) {
        try {
            return Optional.of(core.get(path, query));
        } catch (CoreCallException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw unavailable(what, e);
        }
    }
}
