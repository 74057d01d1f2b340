package dk.sdu.cloud.im.spi.compute;

/** A follower of a job's output, opened by {@link ComputeBackend#follow}. Closing it twice does nothing. */
public interface FollowSession extends AutoCloseable {

    /** The follower left: the backend stops sending and releases what it watched. */
    @Override
    void close();
}
