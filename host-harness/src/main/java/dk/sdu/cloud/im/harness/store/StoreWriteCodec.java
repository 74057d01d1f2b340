package dk.sdu.cloud.im.harness.store;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link StoreWrite} as the payload of a journal record: UTF-8 JSON. Decoding is strict (an unknown or a
 * missing field is an error): a record this harness does not fully understand is not applied half.
 */
final class StoreWriteCodec {
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    byte[] encode(StoreWrite write) {
        return json.writeValueAsBytes(write);
    }

    /**
     * @throws JacksonException         when the bytes are not a write
     * @throws IllegalArgumentException when they are JSON's {@code null}
     */
    StoreWrite decode(byte[] payload) {
        StoreWrite write = json.readValue(payload, StoreWrite.class);
        if (write == null) {
            throw new IllegalArgumentException("the record is null, not a write");
        }
        return write;
    }
}
