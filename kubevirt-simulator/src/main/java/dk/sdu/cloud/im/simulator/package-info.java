/**
 * A Kubernetes API in the process, with KubeVirt where it matters: {@link dk.sdu.cloud.im.simulator.EmbeddedKubernetes}
 * (fabric8's mock server in CRUD mode with the KubeVirt and CDI CRDs), {@link dk.sdu.cloud.im.simulator.KubeVirtSimulator}
 * (virt-controller, garbage collection and volume binding, informer-driven) and
 * {@link dk.sdu.cloud.im.simulator.RequestCounter} (API requests of one client, by verb).
 *
 * <p>Used by the KubeVirt plugin's tests (test scope only: plugins bundle nothing) and by the harness's
 * embedded mode. What the mock server supports and what it does not is in this module's
 * {@code docs/embedded-kubernetes.md}.
 */
package dk.sdu.cloud.im.simulator;
