package dk.sdu.cloud.im.harness.core;

/** UCloud's {@code server.yml} is missing, unreadable or wrong; the message names the file and what to do. */
public final class ServerFileException extends RuntimeException {
    public ServerFileException(String message) {
        super(message);
    }

    public ServerFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
