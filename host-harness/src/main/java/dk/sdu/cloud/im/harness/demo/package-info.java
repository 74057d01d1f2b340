/**
 * {@code ucloud-im demo}: the product's smoke test for a person. It runs a real IM in embedded mode (an
 * in-process Kubernetes API with a KubeVirt simulator) on loopback, makes a tiny disk image with
 * {@code qemu-img} and serves it from a local HTTP server, submits a VM job through the provider API, signed as
 * UCloud/Core signs (the demo plays Core with a key pair of its own), suspends and unsuspends it, lets its
 * guest power itself off, terminates it, and prints the job's updates as they happen and the Kubernetes
 * objects at each step. {@link dk.sdu.cloud.im.harness.demo.Demo} is the scenario.
 */
package dk.sdu.cloud.im.harness.demo;
