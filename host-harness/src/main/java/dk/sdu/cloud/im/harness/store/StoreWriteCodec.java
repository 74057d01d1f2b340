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

    /** @throws JacksonException when the bytes are not a write */
    StoreWrite decode(byte[] payload) {
        return json.readValue(payload, StoreWrite.class);
    }
}
