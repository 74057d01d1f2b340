/**
 * The cluster connection the host owns and lends to plugins. The host builds the fabric8 client (from a
 * kubeconfig, in-cluster credentials, or its embedded API) and closes it; plugins never build their own.
 */
package dk.sdu.cloud.im.spi.kubernetes;
