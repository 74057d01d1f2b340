package dk.sdu.cloud.im.spi.compute;

import com.fasterxml.jackson.annotation.JsonInclude;

import static java.util.Objects.requireNonNull;

/**
 * A parameter the provider adds to an application's form, in the shape of Core's
 * {@code requestDynamicParameters} response.
 *
 * @param name         the parameter's name in {@code specification.parameters}
 * @param type         the value type, e.g. {@code integer}
 * @param title        a title for the form
 * @param description  a help text
 * @param min          the smallest value, or null
 * @param max          the largest value, or null
 * @param step         the step, or null
 * @param unitName     the unit shown, e.g. {@code GiB}, or null
 * @param defaultValue the default value, or null
 * @param optional     whether the user may leave it out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DynamicParameter(
        String name,
        String type,
        String title,
        String description,
        Long min,
        Long max,
        Long step,
        String unitName,
        Object defaultValue,
        boolean optional
) {
    public DynamicParameter {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
