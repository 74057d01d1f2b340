/** The host's connection to the Kubernetes cluster, lent to plugins. */
package dk.sdu.cloud.im.harness.kubernetes;
