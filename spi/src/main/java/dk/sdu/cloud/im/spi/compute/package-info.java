/**
 * The compute extension point: a {@link dk.sdu.cloud.im.spi.compute.ComputeBackend} runs the jobs whose
 * application's tool backend it accepts. Nothing in this package depends on Kubernetes types, so a
 * backend for another kind of cluster can implement it.
 */
package dk.sdu.cloud.im.spi.compute;
