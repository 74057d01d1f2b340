package dk.sdu.cloud.im.harness.api;

import io.javalin.json.JsonMapper;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;

import java.lang.reflect.Type;

import static java.util.Objects.requireNonNull;

/**
 * JSON for the API, on Jackson 3 (the platform's Jackson), also serving as Javalin's {@link JsonMapper} so
 * no Jackson 2 is needed at run time.
 */
final class ApiJson implements JsonMapper {
    private final tools.jackson.databind.json.JsonMapper mapper;

    ApiJson(tools.jackson.databind.json.JsonMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /**
     * The API's mapper. Strict where Core's shapes are fixed: a string where a number belongs is an error
     * rather than a guess, so is a fraction where an integer belongs ({@code "replicas": 1.5} is not 1),
     * and so is anything after the JSON value. Unknown properties are left to the
     * model classes, which ignore them (Core adds fields over time).
     */
    static tools.jackson.databind.json.JsonMapper strictMapper() {
        return tools.jackson.databind.json.JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    tools.jackson.databind.json.JsonMapper mapper() {
        return mapper;
    }

    @Override
    public String toJsonString(Object obj, Type type) {
        return mapper.writeValueAsString(obj);
    }

    @Override
    public <T> T fromJsonString(String json, Type targetType) {
        return mapper.readValue(json, mapper.constructType(targetType));
    }
}
