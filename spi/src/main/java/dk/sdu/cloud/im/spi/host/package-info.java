/**
 * Services the host provides to plugins. The host binds each of these in its injector; an extension
 * receives them through its {@code @Inject} constructor. None of them depends on Kubernetes types; the
 * cluster connection is in {@code dk.sdu.cloud.im.spi.kubernetes}.
 */
package dk.sdu.cloud.im.spi.host;
