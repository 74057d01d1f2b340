/**
 * Reading the IM's YAML configuration and binding it to records.
 *
 * <p>{@link dk.sdu.cloud.im.harness.config.YamlConfigReader} reads one file into a
 * {@link dk.sdu.cloud.im.harness.config.ConfigTree}. A {@link dk.sdu.cloud.im.harness.config.ConfigBinding}
 * binds subtrees of it to records, following the rules of {@code dk.sdu.cloud.im.spi.config}, and collects
 * every problem instead of stopping at the first. It also records which keys each bound record reads, so
 * that keys nobody reads can be reported as unknown, with a suggestion, once all records are bound.
 * Nothing here knows the host's own keys or its plugins.
 */
package dk.sdu.cloud.im.harness.config;
