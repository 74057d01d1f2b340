package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.spi.compute.ComputeBackend;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A plugin's code failed unexpectedly while the host called it, named so that whoever reads it knows which
 * plugin to blame and what the host had asked: {@code plugin 'kubevirt' (KubeVirt) failed to start job 42:
 * IllegalStateException}.
 *
 * <p>The host contains what a plugin throws at run time when it is an {@link Exception} (a
 * {@code JobRejectedException} excepted: that is a rejection for the user, not a fault) or a
 * {@link LinkageError} (e.g. {@code NoClassDefFoundError} of a library the plugin expected the host to
 * provide): the caller catches it, makes a {@code PluginFault}, logs {@link #detail()} with the stack trace
 * under a new reference, and reports {@link #withReference(String)}. Other errors ({@code OutOfMemoryError} and the like) are not the plugin's to
 * own and are not caught.
 *
 * <p>{@link #text()} goes to the API's error body and into a job's status message, which Core shows to users:
 * it names the failure's type but never carries the exception's message, which can hold internals (paths,
 * addresses, cluster details). {@link #detail()} adds that message, for the log.
 *
 * @param pluginId the plugin the failing object belongs to; empty when it is not from a plugin (the host's
 *                 own, or a test's)
 * @param text     one line for the caller: the plugin, the operation, the failure's type
 * @param detail   one line for the log: {@code text} with the exception chain's messages
 */
public record PluginFault(Optional<String> pluginId, String text, String detail) {
    /** At most this many characters of the exception chain go into {@link #detail()}. */
    static final int MAX_REASON_CHARS = 500;

    public PluginFault {
        requireNonNull(pluginId, "pluginId is null");
        requireNonNull(text, "text is null");
        requireNonNull(detail, "detail is null");
    }

    /**
     * Names a failure of a plugin's object.
     *
     * @param extension what the host called, e.g. a {@link ComputeBackend}; its class's loader tells the plugin
     * @param action    what the host asked it, as the words after "failed to", e.g. {@code start job 42}
     * @param error     what it threw
     */
    public static PluginFault of(Object extension, String action, Throwable error) {
        requireNonNull(extension, "extension is null");
        requireNonNull(action, "action is null");
        requireNonNull(error, "error is null");
        Optional<String> pluginId = pluginIdOf(extension.getClass());
        String who = pluginId.map(id -> "plugin '" + id + "'").orElse("an extension not from a plugin")
                + " (" + displayName(extension) + ")";
        String text = who + " failed to " + oneLine(action) + ": " + error.getClass().getSimpleName();
        return new PluginFault(pluginId, text, who + " failed to " + oneLine(action) + ": " + reason(error));
    }

    /**
     * {@link #text()} with a pointer to where {@link #detail()} and the stack trace were logged: what the API's
     * error body and a job's status message carry.
     *
     * @param reference the reference the detail was logged under
     */
    public String withReference(String reference) {
        return text + "; error reference " + requireNonNull(reference, "reference is null") + " in the provider's log";
    }

    /** The plugin whose class loader defined {@code type}, if any. */
    public static Optional<String> pluginIdOf(Class<?> type) {
        return type.getClassLoader() instanceof PlatformFirstPluginClassLoader loader
                ? Optional.of(loader.pluginId())
                : Optional.empty();
    }

    /** A compute backend's own name; the class's simple name for anything else, or when the name fails too. */
    private static String displayName(Object extension) {
        if (extension instanceof ComputeBackend backend) {
            try {
                String name = backend.name();
                if (name != null && !name.isBlank()) {
                    return oneLine(name);
                }
            } catch (RuntimeException | LinkageError e) {
                // Falls back to the class name: the failure being named matters more.
            }
        }
        return extension.getClass().getSimpleName();
    }

    private static String reason(Throwable error) {
        String reason = oneLine(Reasons.of(error));
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS) + "...";
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
