package dk.sdu.cloud.im.harness.boot;

/** The plugins and the configuration are fine, but the host cannot be put together from them. */
public final class HostAssemblyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostAssemblyException(String message, Throwable cause) {
        super(message, cause);
    }
}
