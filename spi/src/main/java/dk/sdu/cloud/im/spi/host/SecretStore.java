package dk.sdu.cloud.im.spi.host;

import java.util.Optional;

/**
 * A small persistent key/value store for secrets that must survive an IM restart (for example a job's
 * agent tokens). Values are stored as given; keys should start with the plugin's id to avoid clashes.
 */
public interface SecretStore {

    /** The value stored under a key. */
    Optional<String> get(String key);

    /** Stores a value, replacing any earlier one. */
    void put(String key, String value);

    /** Removes a key; removing a missing key is not an error. */
    void delete(String key);
}
