package dk.sdu.cloud.im.harness.chaos;

/** How a request ended, as far as its sender can tell. */
enum Outcome {
    /** A 2xx answer: the request was accepted and must take effect. */
    ACCEPTED,
    /** An answer with another status: the request may or may not take effect (a bulk request can fail part-way). */
    ERROR,
    /** Sent, but no answer came (the IM was killed, the connection broke, the time ran out): it may or may not take effect. */
    NO_ANSWER,
    /** The connection was refused: nothing reached the IM, so the request takes no effect. */
    NOT_DELIVERED;

    /** Whether the request may have taken effect without its sender knowing. */
    boolean uncertain() {
        return this == ERROR || this == NO_ANSWER;
    }
}
