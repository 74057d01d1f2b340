/**
 * The job model in UCloud/Core's JSON shapes (the provider API of {@code ucloud/<providerId>/jobs}).
 *
 * <p>Every record ignores properties it does not know, because Core adds fields over time and a provider
 * must keep accepting its jobs. Collections are never null: absent ones read as empty.
 */
package dk.sdu.cloud.im.spi.job;
