/**
 * How a plugin declares its own part of the IM's YAML configuration.
 *
 * <p>A plugin writes a record annotated with {@link dk.sdu.cloud.im.spi.config.ConfigSection} and takes it in
 * its extension's {@code @Inject} constructor. The host binds the YAML found at the section's key path to
 * the record before any extension is created, strictly: an unknown key is an error with a suggestion, a
 * missing required key is an error, a value of the wrong type is an error, and all errors of the whole file
 * are reported at once, each with its key path and value. A record that implements
 * {@link dk.sdu.cloud.im.spi.config.ValidatedConfig} adds its own checks.
 *
 * <p>Binding rules for record components: the key is the component's name, or the name in Jackson's
 * {@code @JsonProperty}. A component is optional when its type is {@code Optional}, a {@code List},
 * {@code Set} or {@code Map} (absent means empty), or when it carries {@link dk.sdu.cloud.im.spi.config.ConfigDefault};
 * every other component is required. Nested records, and lists and maps of records, are bound by the same
 * rules, with their key paths.
 */
package dk.sdu.cloud.im.spi.config;
