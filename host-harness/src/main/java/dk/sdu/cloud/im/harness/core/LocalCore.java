package dk.sdu.cloud.im.harness.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dk.sdu.cloud.im.harness.auth.CoreClaims;
import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.auth.ProviderKeyPair;
import dk.sdu.cloud.im.harness.auth.UCloudPublicKeyFile;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The harness playing UCloud/Core, in process, on Core's wire: it exchanges the provider's refresh token for access
 * tokens ({@value CoreClient#REFRESH_PATH}) and serves, to callers with a valid access token, the control calls an
 * IM makes (job updates, labels, SSH keys, job retrieval, existence checks, drives, shares). It records what it
 * receives, in order, for tests and the demo.
 *
 * <p>Its files, in {@link LocalCoreSettings#folder()}: the provider's key pair ({@value
 * ProviderKeyPair#PRIVATE_KEY_FILE}), Core's public key as UCloud writes it ({@value UCloudPublicKeyFile#KEY_FILE}),
 * and a {@value ServerFile#FILE} holding a refresh token made once and kept. An access token is accepted when it is
 * RS256 with that key, issued by {@value CoreClaims#ISSUER} to {@code #P_<provider id>} with role {@code PROVIDER},
 * and not expired by the injected clock; anything else gets 401. A bad body gets 400; both in Core's error shape
 * ({@code statusCode}, {@code why}, {@code errorCode}, {@code detailedCode}).
 *
 * <p>A job exists for it until {@link #forgetJob} (it has no job list of its own); updates and labels naming a
 * forgotten job get 404 {@code Not found or permission denied (<id>)}, as Core answers for a job that is gone.
 * Jobs to retrieve come from a {@link JobSource}, SSH keys from an {@link SshKeyDirectory}.
 */
public final class LocalCore implements AutoCloseable {
    /** Where the job updates go. */
    public static final String JOB_UPDATE = "/api/jobs/control/update";
    /** Where job labels go. */
    public static final String JOB_LABELS = "/api/jobs/control/updateLabels";
    /** The job owner's SSH keys. */
    public static final String SSH_KEYS = "/api/jobs/control/browseSshKeys";
    /** One job. */
    public static final String JOB_RETRIEVE = "/api/jobs/control/retrieve";
    /** Whether resources exist. */
    public static final String CHECK_EXISTENCE = "/api/providers/resources/checkExistence";
    /** One drive. */
    public static final String DRIVE_RETRIEVE = "/api/files/collections/control/retrieve";
    /** New drives. */
    public static final String DRIVE_REGISTER = "/api/files/collections/control/register";
    /** Where public IPs' updates go (the address each got). */
    public static final String PUBLIC_IP_UPDATE = CorePublicIpControl.UPDATE;
    /** One share. */
    public static final String SHARE_RETRIEVE = "/api/shares/control/retrieve";

    private static final Logger LOG = LoggerFactory.getLogger(LocalCore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The drives it holds, kept across restarts, in its folder. */
    public static final String DRIVES_FILE = "drives.json";
    private static final int KEYS_PER_PAGE = 250;

    /** Where the harness's Core finds a job to answer {@value #JOB_RETRIEVE}. */
    @FunctionalInterface
    public interface JobSource {
        /** The job as Core would send it, or empty when unknown. */
        Optional<JsonNode> job(String jobId);
    }

    private final LocalCoreSettings settings;
    private final Clock clock;
    private final SshKeyDirectory sshKeys;
    private final JobSource jobs;
    private final ProviderKeyPair keys;
    private final CoreTokenSigner signer;
    private final RSASSAVerifier verifier;
    private final ServerFile serverFile;
    private final Object lock = new Object();
    private final List<ReceivedUpdate> updates = new ArrayList<>();
    private final Map<String, List<Map<String, String>>> labels = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> publicIpUpdates = new LinkedHashMap<>();
    private final Set<String> forgotten = new HashSet<>();
    private final Map<String, ObjectNode> drives = new LinkedHashMap<>();
    private final Map<String, ObjectNode> shares = new LinkedHashMap<>();
    private long nextDriveId = 1;
    private int refreshes;
    private Javalin app;
    private URI url;

    private LocalCore(LocalCoreSettings settings, Clock clock, SshKeyDirectory sshKeys, JobSource jobs) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sshKeys = requireNonNull(sshKeys, "sshKeys is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.keys = ProviderKeyPair.readOrCreate(settings.folder());
        UCloudPublicKeyFile.write(settings.folder().resolve(UCloudPublicKeyFile.KEY_FILE), keys.publicKey());
        this.serverFile = readOrCreateServerFile(settings.folder().resolve(ServerFile.FILE));
        this.signer = new CoreTokenSigner(keys.privateKey(), clock);
        this.verifier = new RSASSAVerifier(keys.publicKey());
        loadDrives();
    }

    /**
     * The drives it knew before a restart: a drive id, once handed out, must keep meaning the same drive (the IM
     * caches drives by id), as it does in a real Core.
     */
    private void loadDrives() {
        Path file = settings.folder().resolve(DRIVES_FILE);
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode saved = JSON.readTree(file.toFile());
            for (JsonNode drive : saved.path("drives")) {
                if (drive.isObject() && drive.path("id").isString()) {
                    drives.put(drive.get("id").asString(), (ObjectNode) drive);
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("the harness's Core cannot read its drives in " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Called holding {@link #lock}. */
    private void saveDrives() {
        Path file = settings.folder().resolve(DRIVES_FILE);
        ObjectNode saved = NODES.objectNode();
        drives.values().forEach(saved.putArray("drives")::add);
        try {
            Path temporary = Files.createTempFile(settings.folder(), DRIVES_FILE, ".tmp");
            Files.writeString(temporary, JSON.writeValueAsString(saved));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("the harness's Core cannot save its drives in " + file, e);
        }
    }

    /**
     * Makes or reads its files and starts listening.
     *
     * @param sshKeys where the job owners' SSH keys are
     * @param jobs    where the jobs to retrieve are
     * @throws dk.sdu.cloud.im.harness.auth.CoreKeyException when the key files cannot be read or written
     * @throws ServerFileException                           when its {@code server.yml} cannot be read or written
     * @throws IllegalStateException                         when it cannot listen
     */
    public static LocalCore start(LocalCoreSettings settings, Clock clock, SshKeyDirectory sshKeys, JobSource jobs) {
        LocalCore core = new LocalCore(settings, clock, sshKeys, jobs);
        core.listen();
        return core;
    }

    private static ServerFile readOrCreateServerFile(Path file) {
        if (Files.exists(file)) {
            return ServerFile.readFile(file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        ServerFile.write(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        return ServerFile.readFile(file);
    }

    private void listen() {
        Javalin started = Javalin.create(this::configure);
        try {
            started.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the harness's Core cannot listen on " + settings.bindHost() + ":"
                    + settings.port() + " (harness.core): " + e.getMessage(), e);
        }
        synchronized (lock) {
            app = started;
            String host = settings.bindHost().contains(":") ? "[" + settings.bindHost() + "]" : settings.bindHost();
            if (host.equals("0.0.0.0")) {
                host = "127.0.0.1";
            }
            url = URI.create("http://" + host + ":" + started.port());
        }
        LOG.info("The harness plays UCloud/Core for provider '{}' at {} (its keys and refresh token in {})",
                settings.providerId(), url, settings.folder());
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        config.http.prefer405over404 = true;
        config.jetty.host = settings.bindHost();
        config.jetty.port = settings.port();
        config.routes.before(this::authenticate);
        config.routes.post(CoreClient.REFRESH_PATH, this::refresh);
        config.routes.post(JOB_UPDATE, this::jobUpdates);
        config.routes.post(JOB_LABELS, this::jobLabels);
        config.routes.post(PUBLIC_IP_UPDATE, this::publicIpUpdates);
        config.routes.post(SSH_KEYS, this::browseSshKeys);
        config.routes.get(JOB_RETRIEVE, this::retrieveJob);
        config.routes.post(CHECK_EXISTENCE, this::checkExistence);
        config.routes.get(DRIVE_RETRIEVE, this::retrieveDrive);
        config.routes.post(DRIVE_REGISTER, this::registerDrives);
        config.routes.get(SHARE_RETRIEVE, this::retrieveShare);
        config.routes.exception(CoreError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == 404 ? "no such call: " + ctx.method() + " " + ctx.path() : e.getMessage()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.warn("The harness's Core failed at {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error of the harness's Core: " + e);
        });
    }

    // ---- authentication

    private void authenticate(Context ctx) {
        if (!ctx.path().startsWith("/api/")) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new CoreError(401, "no access token (Authorization: Bearer <token>)");
        }
        problemWith(header.substring("Bearer ".length()).strip()).ifPresent(problem -> {
            throw new CoreError(401, problem);
        });
    }

    private Optional<String> problemWith(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.of("the access token is not signed with this provider's key");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!CoreClaims.ISSUER.equals(claims.getIssuer())) {
                return Optional.of("the access token's issuer is not " + CoreClaims.ISSUER);
            }
            if (!(CoreClaims.PROVIDER_SUBJECT_PREFIX + settings.providerId()).equals(claims.getSubject())
                    || !CoreClaims.PROVIDER_ROLE.equals(claims.getStringClaim(CoreClaims.ROLE))) {
                return Optional.of("the access token is not one of provider '" + settings.providerId() + "'");
            }
            Date expires = claims.getExpirationTime();
            if (expires == null || !expires.toInstant().isAfter(clock.instant())) {
                return Optional.of("the access token has expired");
            }
            return Optional.empty();
        } catch (ParseException e) {
            return Optional.of("the access token is not a signed JWT");
        } catch (JOSEException e) {
            return Optional.of("the access token cannot be verified: " + e.getMessage());
        }
    }

    // ---- the calls

    private void refresh(Context ctx) {
        JsonNode item = single(items(body(ctx)));
        String token = text(item, "refreshToken", "items[0]");
        if (!token.equals(serverFile.refreshToken())) {
            throw new CoreError(401, "Unauthorized");
        }
        synchronized (lock) {
            refreshes++;
        }
        ObjectNode response = NODES.objectNode();
        response.put("accessToken", signer.providerAccessToken(settings.providerId()));
        response.put("csrfToken", "");
        answer(ctx, NODES.objectNode().set("responses", NODES.arrayNode().add(response)));
    }

    /** The field of the {@code index}th item, which must be a JSON object ({@code what} says so in the 400). */
    private static JsonNode objectField(JsonNode item, String field, int index, String what) {
        JsonNode value = item.get(field);
        if (value == null || !value.isObject()) {
            throw new CoreError(400, "items[" + index + "]." + field + " must be " + what);
        }
        return value;
    }

    private void jobUpdates(Context ctx) {
        List<ReceivedUpdate> received = new ArrayList<>();
        ArrayNode items = items(body(ctx));
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String id = text(item, "id", "items[" + i + "]");
            JsonNode update = objectField(item, "update", i, "an object");
            received.add(new ReceivedUpdate(id, update));
        }
        synchronized (lock) {
            received.forEach(update -> requireKnownJob(update.jobId()));
            updates.addAll(received);
        }
        answer(ctx, NODES.objectNode());
    }

    private void jobLabels(Context ctx) {
        Map<String, List<Map<String, String>>> received = new LinkedHashMap<>();
        ArrayNode items = items(body(ctx));
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String id = text(item, "id", "items[" + i + "]");
            JsonNode given = objectField(item, "labels", i, "an object of texts");
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> label : given.properties()) {
                if (!label.getValue().isString()) {
                    throw new CoreError(400, "items[" + i + "].labels." + label.getKey() + " must be a text");
                }
                map.put(label.getKey(), label.getValue().asString());
            }
            received.computeIfAbsent(id, k -> new ArrayList<>()).add(Map.copyOf(map));
        }
        synchronized (lock) {
            received.keySet().forEach(this::requireKnownJob);
            received.forEach((id, list) -> labels.computeIfAbsent(id, k -> new ArrayList<>()).addAll(list));
        }
        answer(ctx, NODES.objectNode());
    }

    private void publicIpUpdates(Context ctx) {
        Map<String, List<JsonNode>> received = new LinkedHashMap<>();
        ArrayNode items = items(body(ctx));
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String id = text(item, "id", "items[" + i + "]");
            JsonNode update = objectField(item, "update", i, "an object");
            received.computeIfAbsent(id, k -> new ArrayList<>()).add(update);
        }
        synchronized (lock) {
            received.forEach((id, list) -> publicIpUpdates.computeIfAbsent(id, k -> new ArrayList<>()).addAll(list));
        }
        LOG.info("Public IP updates received: {}", received);
        answer(ctx, NODES.objectNode());
    }

    private void browseSshKeys(Context ctx) {
        JsonNode body = body(ctx);
        String jobId = text(body, "jobId", "the body");
        JsonNode owner = body.get("owner");
        if (owner != null && !owner.isNull() && !owner.isBoolean()) {
            throw new CoreError(400, "owner must be true or false");
        }
        synchronized (lock) {
            requireKnownJob(jobId);
        }
        String createdBy = jobs.job(jobId).map(job -> job.path("owner").path("createdBy").asString("")).orElse("");
        ArrayNode items = NODES.arrayNode();
        List<String> lines;
        try {
            lines = sshKeys.authorizedKeys(jobId);
        } catch (IllegalArgumentException e) {
            throw new CoreError(400, "jobId: " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String[] parts = line.split("\\s+", 3);
            ObjectNode key = items.addObject();
            key.put("id", String.valueOf(i + 1));
            key.put("owner", createdBy);
            key.put("createdAt", clock.millis());
            key.put("fingerprint", fingerprint(parts));
            ObjectNode specification = key.putObject("specification");
            specification.put("title", parts.length == 3 ? parts[2] : "key " + (i + 1));
            specification.put("key", line);
        }
        ObjectNode page = NODES.objectNode();
        page.set("items", items);
        page.putNull("next");
        page.put("itemsPerPage", KEYS_PER_PAGE);
        answer(ctx, page);
    }

    private void retrieveJob(Context ctx) {
        String id = query(ctx, "id");
        synchronized (lock) {
            requireKnownJob(id);
        }
        answer(ctx, jobs.job(id).orElseThrow(() -> notFound(id)));
    }

    private void checkExistence(Context ctx) {
        ArrayNode items = items(body(ctx));
        ArrayNode responses = NODES.arrayNode();
        synchronized (lock) {
            for (int i = 0; i < items.size(); i++) {
                String type = text(items.get(i), "type", "items[" + i + "]");
                String id = text(items.get(i), "id", "items[" + i + "]");
                responses.add(switch (type) {
                    case "job" -> !forgotten.contains(id);
                    case "drive", "file_collection" -> drives.containsKey(id);
                    case "share" -> shares.containsKey(id);
                    default -> false;
                });
            }
        }
        answer(ctx, NODES.objectNode().set("responses", responses));
    }

    private void retrieveDrive(Context ctx) {
        String id = query(ctx, "id");
        ObjectNode drive;
        synchronized (lock) {
            drive = drives.get(id);
        }
        if (drive == null) {
            throw notFound(id);
        }
        answer(ctx, drive);
    }

    private void registerDrives(Context ctx) {
        ArrayNode items = items(body(ctx));
        for (int i = 0; i < items.size(); i++) {
            JsonNode spec = items.get(i).get("spec");
            if (spec == null || !spec.isObject()) {
                throw new CoreError(400, "items[" + i + "].spec must be an object with title and product");
            }
            text(spec, "title", "items[" + i + "].spec");
            if (!spec.path("product").isObject()) {
                throw new CoreError(400, "items[" + i + "].spec.product must be an object {id, category, provider}");
            }
            text(items.get(i), "createdBy", "items[" + i + "]");
        }
        ArrayNode responses = NODES.arrayNode();
        for (JsonNode item : items) {
            ObjectNode drive = NODES.objectNode();
            ObjectNode specification = drive.putObject("specification");
            specification.set("title", item.get("spec").get("title"));
            specification.set("product", item.get("spec").get("product"));
            ObjectNode owner = drive.putObject("owner");
            owner.set("createdBy", item.get("createdBy"));
            owner.set("project", item.path("project").isString() ? item.get("project") : NODES.nullNode());
            drive.set("providerGeneratedId", item.path("providerGeneratedId").isString()
                    ? item.get("providerGeneratedId") : NODES.nullNode());
            drive.put("createdAt", clock.millis());
            responses.addObject().put("id", addDrive(drive));
        }
        answer(ctx, NODES.objectNode().set("responses", responses));
    }

    private void retrieveShare(Context ctx) {
        String id = query(ctx, "id");
        ObjectNode share;
        synchronized (lock) {
            share = shares.get(id);
        }
        if (share == null) {
            throw notFound(id);
        }
        answer(ctx, share);
    }

    // ---- what tests and the demo use

    /** Where it listens, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        synchronized (lock) {
            if (url == null) {
                throw new IllegalStateException("the harness's Core is not listening");
            }
            return url;
        }
    }

    /** Its folder: the key pair, {@code ucloud_key.pub}, {@code server.yml}. */
    public Path folder() {
        return settings.folder();
    }

    /** Its {@code server.yml}: the refresh token it accepts. */
    public ServerFile serverFile() {
        return serverFile;
    }

    /** The provider's key pair it signs with. */
    public ProviderKeyPair keyPair() {
        return keys;
    }

    /** A fresh token for a call of Core to the IM ({@code sub _UCloud}, {@code role SERVICE}). */
    public String serviceToken() {
        return signer.serviceToken();
    }

    /** A fresh access token of the provider, as {@value CoreClient#REFRESH_PATH} issues it. */
    public String providerAccessToken() {
        return signer.providerAccessToken(settings.providerId());
    }

    /** How many access tokens it issued. */
    public int refreshCount() {
        synchronized (lock) {
            return refreshes;
        }
    }

    /** Every job update received, in order. */
    public List<ReceivedUpdate> allUpdates() {
        synchronized (lock) {
            return List.copyOf(updates);
        }
    }

    /** The updates received for one job ({@code update} objects), in order. */
    public List<JsonNode> updates(String jobId) {
        synchronized (lock) {
            return updates.stream().filter(u -> u.jobId().equals(jobId)).map(ReceivedUpdate::update).toList();
        }
    }

    /** The label sets received for one job, in order. */
    public List<Map<String, String>> labels(String jobId) {
        synchronized (lock) {
            return List.copyOf(labels.getOrDefault(jobId, List.of()));
        }
    }

    /** The updates received for one public IP ({@code update} objects, e.g. its new address), in order. */
    public List<JsonNode> publicIpUpdates(String id) {
        synchronized (lock) {
            return List.copyOf(publicIpUpdates.getOrDefault(id, List.of()));
        }
    }

    /** Makes a job gone: later calls naming it get 404, and {@value #CHECK_EXISTENCE} says false. */
    public void forgetJob(String jobId) {
        requireNonNull(jobId, "jobId is null");
        synchronized (lock) {
            forgotten.add(jobId);
        }
    }

    /**
     * Holds a drive as {@code harness.core.drives} describes it: its id and {@code providerGeneratedId} (empty for a
     * collection), of the storage product {@code product}. Its owner is the user and project the id names
     * ({@code h-<user>}, {@code p-<project>/...}, {@code pm-<project>/<user>}), else UCloud's system actor.
     */
    public void addDrive(String id, String providerGeneratedId, String product) {
        requireNonNull(id, "id is null");
        requireNonNull(providerGeneratedId, "providerGeneratedId is null");
        requireNonNull(product, "product is null");
        ObjectNode drive = NODES.objectNode().put("id", id);
        ObjectNode specification = drive.putObject("specification").put("title", "Drive " + id);
        specification.putObject("product").put("id", product).put("category", product)
                .put("provider", settings.providerId());
        String createdBy = "_ucloud";
        String project = null;
        int dash = providerGeneratedId.indexOf('-');
        String kind = dash < 0 ? "" : providerGeneratedId.substring(0, dash);
        String rest = dash < 0 ? "" : providerGeneratedId.substring(dash + 1);
        int slash = rest.indexOf('/');
        switch (kind) {
            case "h" -> createdBy = rest;
            case "p" -> project = slash < 0 ? rest : rest.substring(0, slash);
            case "pm" -> {
                project = slash < 0 ? rest : rest.substring(0, slash);
                createdBy = slash < 0 ? createdBy : rest.substring(slash + 1);
            }
            default -> {
                // a collection or a share: owned by Core itself here
            }
        }
        ObjectNode owner = drive.putObject("owner").put("createdBy", createdBy);
        if (project == null) {
            owner.putNull("project");
        } else {
            owner.put("project", project);
        }
        if (providerGeneratedId.isEmpty()) {
            drive.putNull("providerGeneratedId");
        } else {
            drive.put("providerGeneratedId", providerGeneratedId);
        }
        drive.put("createdAt", clock.millis());
        addDrive(drive);
    }

    /**
     * Holds a drive (Core's Drive JSON); without an {@code id} it gets a new one.
     *
     * @return its id
     */
    public String addDrive(ObjectNode drive) {
        requireNonNull(drive, "drive is null");
        ObjectNode copy = drive.deepCopy();
        synchronized (lock) {
            String id = copy.path("id").isString() ? copy.get("id").asString() : newDriveId();
            copy.put("id", id);
            drives.put(id, copy);
            saveDrives();
            return id;
        }
    }

    /** A drive it holds. */
    public Optional<JsonNode> drive(String id) {
        synchronized (lock) {
            return Optional.ofNullable(drives.get(id)).map(JsonNode::deepCopy);
        }
    }

    /** Every drive it holds, in the order added. */
    public List<JsonNode> drives() {
        synchronized (lock) {
            return drives.values().stream().<JsonNode>map(JsonNode::deepCopy).toList();
        }
    }

    /** Holds a share (Core's Share JSON, with its {@code id}). */
    public void addShare(ObjectNode share) {
        requireNonNull(share, "share is null");
        if (!share.path("id").isString()) {
            throw new IllegalArgumentException("a share needs a text id");
        }
        synchronized (lock) {
            shares.put(share.get("id").asString(), share.deepCopy());
        }
    }

    /** Stops listening. Idempotent. */
    @Override
    public void close() {
        Javalin running;
        synchronized (lock) {
            running = app;
            app = null;
            url = null;
        }
        if (running != null) {
            running.stop();
        }
    }

    // ---- helpers

    private String newDriveId() {
        while (drives.containsKey(String.valueOf(nextDriveId))) {
            nextDriveId++;
        }
        return String.valueOf(nextDriveId++);
    }

    /** Under {@link #lock}. */
    private void requireKnownJob(String jobId) {
        if (forgotten.contains(jobId)) {
            throw notFound(jobId);
        }
    }

    private static CoreError notFound(String id) {
        return new CoreError(404, "Not found or permission denied (" + id + ")");
    }

    private static JsonNode body(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (JacksonException e) {
            throw new CoreError(400, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new CoreError(400, "the body must be a JSON object");
        }
        return body;
    }

    private static ArrayNode items(JsonNode body) {
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) {
            throw new CoreError(400, "the body must be {\"items\": [...]}");
        }
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isObject()) {
                throw new CoreError(400, "items[" + i + "] must be an object");
            }
        }
        return (ArrayNode) items;
    }

    private static JsonNode single(ArrayNode items) {
        if (items.size() != 1) {
            throw new CoreError(400, "items must hold exactly one item, got " + items.size());
        }
        return items.get(0);
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw new CoreError(400, where + "." + key + " must be a non-empty text");
        }
        return value.asString();
    }

    private static String query(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            throw new CoreError(400, "the query parameter '" + name + "' is required");
        }
        return value;
    }

    /** OpenSSH's SHA256 fingerprint of a key line's blob, or empty when it is not base64. */
    private static String fingerprint(String[] parts) {
        if (parts.length < 2) {
            return "";
        }
        try {
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (IllegalArgumentException e) {
            return "";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void answer(Context ctx, JsonNode node) {
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(node));
    }

    private static void error(Context ctx, int status, String why) {
        ObjectNode body = NODES.objectNode();
        body.put("statusCode", status);
        body.put("why", why);
        body.putNull("errorCode");
        body.put("detailedCode", 0);
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    }

    @Override
    public String toString() {
        return "LocalCore[" + settings.providerId() + "]";
    }

    /** A refusal in Core's error shape. */
    private static final class CoreError extends RuntimeException {
        private final int status;

        CoreError(int status, String why) {
            super(why, null, false, false);
            this.status = status;
        }
    }
}
