package dk.sdu.cloud.im.harness.auth;

/** A key file that cannot be read, written or understood; the message names the file and what is wrong. */
public final class CoreKeyException extends RuntimeException {
    public CoreKeyException(String message) {
        super(message);
    }

    public CoreKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
