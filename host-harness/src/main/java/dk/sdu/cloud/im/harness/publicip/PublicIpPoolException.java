package dk.sdu.cloud.im.harness.publicip;

/** A change of the public IP pool that is refused; the message says why, and nothing was changed. */
public final class PublicIpPoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PublicIpPoolException(String message) {
        super(message);
    }
}
