package dk.sdu.cloud.im.harness.demo;

/** A step of the demo did not work; the message names the step and says why. */
public final class DemoFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DemoFailure(String message) {
        super(message);
    }

    public DemoFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
