package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The name an enum constant has in the configuration file (its {@code @JsonProperty}). */
final class ValueNames {
    private ValueNames() {
    }

    static String of(Enum<?> constant) {
        try {
            JsonProperty property = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return property == null ? constant.name() : property.value();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }
}
