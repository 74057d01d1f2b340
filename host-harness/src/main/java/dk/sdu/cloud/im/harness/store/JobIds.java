package dk.sdu.cloud.im.harness.store;

/** The rule for job ids the store accepts, in one place. */
final class JobIds {
    private JobIds() {
    }

    static String check(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("job id is empty");
        }
        if (id.length() > JobSubmission.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("job id is longer than " + JobSubmission.MAX_ID_LENGTH
                    + " characters");
        }
        return id;
    }
}
