package dk.sdu.cloud.im.harness.chaos;

/** What a job asks of the IM, each through its bulk endpoint of the provider API. */
enum Operation {
    CREATE("", false),
    SUSPEND("/suspend", true),
    UNSUSPEND("/unsuspend", true),
    TERMINATE("/terminate", false);

    private final String pathSuffix;
    private final boolean wrapped;

    Operation(String pathSuffix, boolean wrapped) {
        this.pathSuffix = pathSuffix;
        this.wrapped = wrapped;
    }

    /** The endpoint below {@code /ucloud/<provider>/jobs}. */
    String pathSuffix() {
        return pathSuffix;
    }

    /** Whether the items are {@code {"job": Job}} (suspend, unsuspend) rather than jobs. */
    boolean wrapped() {
        return wrapped;
    }

    String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
