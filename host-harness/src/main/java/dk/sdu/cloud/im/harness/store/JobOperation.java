package dk.sdu.cloud.im.harness.store;

/** What Core asked of a job, as the provider API accepted it; each is one backend operation at heart. */
public enum JobOperation {
    /** Run the job (a create, or a create repeated). */
    START,
    /** Stop it so that it can run again. */
    SUSPEND,
    /** Run a suspended job again. */
    UNSUSPEND,
    /** End it for good. */
    TERMINATE
}
