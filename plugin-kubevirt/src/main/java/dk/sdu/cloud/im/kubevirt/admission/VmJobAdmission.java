package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.disk.ImageAddressPolicy;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import dk.sdu.cloud.im.spi.host.SshSettings;
import dk.sdu.cloud.im.spi.job.ApplicationInvocation;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.job.JobSpecification;
import dk.sdu.cloud.im.spi.job.JobStatus;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.job.ProductReference;
import dk.sdu.cloud.im.spi.job.ResolvedApplication;
import dk.sdu.cloud.im.spi.job.SshDescription;
import dk.sdu.cloud.im.spi.job.SshMode;
import dk.sdu.cloud.im.spi.job.ToolDescription;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Decides whether a VM job can run here and resolves everything it needs into a {@link VmJobPlan}. Pure: it
 * reads the job and the provider's settings, touches nothing.
 *
 * <p>Two rejections end the check at once (VMs disabled; not a VM application); every other problem is
 * collected, so the user learns all of them from one rejection.
 */
public final class VmJobAdmission {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final KubeVirtConfig config;
    private final MachineCatalog catalog;
    private final ProviderSettings settings;
    private final SshSettings sshSettings;
    private final ProviderFileSystem fileSystem;
    private final VmMountPlanner mountPlanner;
    private final ImageAddressPolicy imageAddresses;
    private final LinkAdmission links;
    private final PublicIpResources publicIps;
    private final PrivateNetworkAdmission privateNetworks;

    /**
     * @param networks the host's network resources, which the job's public IPs, links and networks are looked up in
     */
    public VmJobAdmission(KubeVirtConfig config, MachineCatalog catalog, ProviderSettings settings,
                          SshSettings sshSettings, ProviderFileSystem fileSystem, NetworkResources networks) {
        this.links = new LinkAdmission(networks);
        this.publicIps = new PublicIpResources(networks);
        this.privateNetworks = new PrivateNetworkAdmission(networks);
        this.config = requireNonNull(config, "config is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.sshSettings = requireNonNull(sshSettings, "sshSettings is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.mountPlanner = new VmMountPlanner(fileSystem);
        this.imageAddresses = ImageAddressPolicy.of(config.imageDownloads());
    }

    /**
     * Checks a job and resolves its plan.
     *
     * @throws JobRejectedException naming every reason the job cannot run here
     */
    public VmJobPlan admit(Job job) {
        requireNonNull(job, "job is null");
        if (!config.enabled()) {
            throw new JobRejectedException("Virtual machines are not enabled on this provider.");
        }
        ToolDescription tool = job.toolDescription().orElse(null);
        String backend = tool == null ? null : tool.backend();
        if (!ToolDescription.VIRTUAL_MACHINE.equals(backend)) {
            throw new JobRejectedException("The application is not a virtual machine (its tool backend is "
                    + (backend == null ? "unknown" : backend) + ", expected " + ToolDescription.VIRTUAL_MACHINE
                    + ").");
        }
        JobSpecification spec = job.specification();
        if (spec == null) {
            throw new JobRejectedException("The job has no specification.");
        }

        List<String> problems = new ArrayList<>();
        String jobId = job.id() == null ? "" : job.id();
        VmJobNames names = new VmJobNames(jobId);
        Optional<String> projectId = Optional.ofNullable(job.owner()).flatMap(JobOwner::projectId);
        boolean sensitive = projectId.map(settings::isSensitive).orElse(false);
        if (sensitive) {
            problems.add("Virtual machines are not allowed in sensitive projects (project "
                    + projectId.get() + ").");
        }
        if (spec.replicas() != 1) {
            problems.add("A virtual machine job must have exactly 1 node, got " + spec.replicas() + ".");
        }
        URI imageUrl = imageUrl(tool.image(), problems);
        Optional<String> sha256 = imageSha256(tool.imageSha256(), problems);
        Product product = product(spec.product(), problems);
        int diskSize = diskSize(spec, problems);
        String hostname = hostname(spec.hostname(), names, problems);
        List<Integer> forwardedPorts = ServicePorts.forwardedPorts(spec.labels(), problems);
        List<VmLink> jobLinks = links.links(spec.resources(), job.owner(), problems);
        checkLinkNames(names, jobLinks, problems);
        List<PrivateNetwork> joined = privateNetworks.resolve(spec.resources(), job.owner(), problems);

        NameAndVersion application = application(job, spec, problems);
        List<VmPublicIp> jobIps = publicIps.resolve(spec.resources(), job.owner(), problems);

        VmMountPlanner.Result mounts = null;
        String jobFolder = null;
        if (!VmJobNames.isDnsLabel(jobId)) {
            problems.add("The job id '" + UserText.printable(jobId) + "' cannot be used in Kubernetes names: it "
                    + "must be lowercase letters, digits and '-', starting and ending with a letter or digit.");
        } else {
            jobFolder = jobFolder(job, problems);
        }
        if (jobFolder != null) {
            mounts = mountPlanner.plan(jobFolder, spec.resources());
            problems.addAll(mounts.problems());
            checkNameLengths(names, mounts.mounts(), problems);
        }

        if (!problems.isEmpty()) {
            throw new JobRejectedException(String.join(" ", problems));
        }
        return new VmJobPlan(jobId, names, application, product.cpu(), VmCpuMillis.of(product), product.memoryGiB(), diskSize,
                imageUrl, sha256, hostname, jobFolder, mounts.mounts(), sshAccess(job, spec, sensitive),
                forwardedPorts, new VmNetworking(jobIps, jobLinks, joined));
    }

    /** Each link's Ingress is named after the job and the link: both must fit a Kubernetes name. */
    private static void checkLinkNames(VmJobNames names, List<VmLink> links, List<String> problems) {
        for (VmLink link : links) {
            if (!VmJobNames.isDnsLabel(names.linkIngress(link.linkId()))) {
                problems.add("The public link " + UserText.printable(link.linkId()) + " cannot be used in a Kubernetes "
                        + "name (Ingress '" + UserText.printable(names.linkIngress(link.linkId())) + "'): its id must be "
                        + "lowercase letters, digits and '-', and with the job id at most " + VmJobNames.MAX_LABEL_LENGTH
                        + " characters.");
            }
        }
    }

    /**
     * The job's folder, when its owner can have one: the provider file system refuses names that would
     * leave the folder (a rejection of the job, not a failure of ours), and what it returns must keep its
     * contract, since it becomes the path of the job's volumes.
     */
    private String jobFolder(Job job, List<String> problems) {
        JobOwner owner = job.owner();
        if (owner == null || owner.createdBy() == null || owner.createdBy().isBlank()) {
            problems.add("The job names no owner (owner.createdBy).");
            return null;
        }
        String folder;
        try {
            folder = fileSystem.jobFolder(job);
        } catch (IllegalArgumentException e) {
            problems.add("The job's folder cannot be made: " + UserText.printable(e.getMessage()) + ".");
            return null;
        }
        if (!VmMountPlanner.isRelativeFolder(folder)) {
            problems.add("The job's folder cannot be made: the provider's file system gives '"
                    + UserText.printable(folder) + "', which is not a folder below its mount point.");
            return null;
        }
        return folder;
    }

    /**
     * The image URL: http or https with a host. A host that is an address literal must be allowed by the
     * {@link ImageAddressPolicy}; a host name is checked when the image is downloaded, after DNS.
     */
    private URI imageUrl(String image, List<String> problems) {
        String problem = "The application's disk image must be an http:// or https:// URL, got '" + image + "'.";
        if (image == null || image.isBlank()) {
            problems.add("The application has no disk image.");
            return null;
        }
        try {
            URI uri = new URI(image);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                Optional<String> refusal = imageAddresses.refusalOfLiteral(uri.getHost());
                if (refusal.isPresent()) {
                    problems.add("The application's disk image address is not allowed (" + refusal.get()
                            + "): images are downloaded from public addresses only, unless the provider allows "
                            + "more.");
                    return null;
                }
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problems.add(problem);
        return null;
    }

    private static Optional<String> imageSha256(String sha256, List<String> problems) {
        if (sha256 == null || sha256.isBlank()) {
            return Optional.empty();
        }
        if (!SHA256.matcher(sha256).matches()) {
            problems.add("The application's image checksum must be a SHA-256 in hex (64 characters), got '"
                    + sha256 + "'.");
            return Optional.empty();
        }
        return Optional.of(sha256.toLowerCase(Locale.ROOT));
    }

    private Product product(ProductReference reference, List<String> problems) {
        if (reference == null) {
            problems.add("The job names no machine type.");
            return null;
        }
        if (!settings.providerId().equals(reference.provider())) {
            problems.add("The machine type '" + UserText.printable(reference.id()) + "' belongs to provider '"
                    + UserText.printable(reference.provider()) + "', not to this one ('" + settings.providerId()
                    + "').");
            return null;
        }
        Optional<Product> product = catalog.find(reference);
        if (product.isEmpty()) {
            problems.add("Unknown machine type '" + UserText.printable(reference.id()) + "' in category '"
                    + UserText.printable(reference.category()) + "'.");
            return null;
        }
        if (!product.get().allowVirtualMachines()) {
            problems.add("The machine type '" + reference.id() + "' (machine group '" + product.get().group()
                    + "') does not allow virtual machines.");
        }
        return product.get();
    }

    private static int diskSize(JobSpecification spec, List<String> problems) {
        try {
            return VmDiskSize.parse(spec.parameters().get(VmDiskSize.PARAMETER));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return VmDiskSize.DEFAULT_GIB;
        }
    }

    private static String hostname(String requested, VmJobNames names, List<String> problems) {
        if (requested == null || requested.isBlank()) {
            return names.service();
        }
        if (!VmJobNames.isDnsLabel(requested)) {
            problems.add("The host name '" + UserText.printable(requested) + "' is not valid: it must be at most "
                    + VmJobNames.MAX_LABEL_LENGTH + " lowercase letters, digits and '-', starting and ending "
                    + "with a letter or digit.");
        }
        return requested;
    }

    private static void checkNameLengths(VmJobNames names, List<VmMount> mounts, List<String> problems) {
        List<String> all = new ArrayList<>(names.fixedNames());
        mounts.forEach(mount -> all.add(names.mountVolume(mount.suffix())));
        all.stream().filter(name -> !VmJobNames.isDnsLabel(name)).findFirst().ifPresent(name ->
                problems.add("The job id '" + names.jobId() + "' is too long: the Kubernetes name '" + name
                        + "' would exceed " + VmJobNames.MAX_LABEL_LENGTH + " characters."));
    }

    /**
     * The application, from the specification or else from Core's resolved metadata. Its name and version
     * key the golden image cache and appear in logs, so both must be there, without control characters.
     */
    private static NameAndVersion application(Job job, JobSpecification spec, List<String> problems) {
        NameAndVersion application = spec.application() != null ? spec.application()
                : Optional.ofNullable(job.status()).map(JobStatus::resolvedApplication)
                        .map(ResolvedApplication::metadata)
                        .map(m -> new NameAndVersion(m.name(), m.version()))
                        .orElse(null);
        if (application == null || isBlank(application.name()) || isBlank(application.version())
                || UserText.hasControlCharacter(application.name())
                || UserText.hasControlCharacter(application.version())) {
            problems.add("The job must name its application's name and version, without control characters"
                    + (application == null ? "." : ", got '" + UserText.printable(application.name()) + "' version '"
                    + UserText.printable(application.version()) + "'."));
            return null;
        }
        return application;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * SSH applies when the application asks for it (MANDATORY, or OPTIONAL and the user enabled it; VMs
     * default to on when the application says nothing), never in sensitive projects, and only when the
     * provider offers SSH with an external IP. Otherwise the job simply has no SSH Service.
     */
    private Optional<SshAccess> sshAccess(Job job, JobSpecification spec, boolean sensitive) {
        SshMode mode = Optional.ofNullable(job.status()).map(JobStatus::resolvedApplication)
                .map(ResolvedApplication::invocation).map(ApplicationInvocation::ssh)
                .map(SshDescription::mode).orElse(SshMode.MANDATORY);
        boolean wanted = switch (mode) {
            case MANDATORY -> true;
            case OPTIONAL -> spec.sshEnabled();
            case DISABLED -> false;
        };
        if (!wanted || sensitive || !sshSettings.enabled() || sshSettings.ipAddress() == null) {
            return Optional.empty();
        }
        return Optional.of(new SshAccess(sshSettings.ipAddress(), sshSettings.publicAddress().orElseThrow(),
                sshSettings.portMin(), sshSettings.portMax()));
    }
}
