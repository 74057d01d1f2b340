/**
 * Applying a VM job's desired objects to the cluster, and the lifecycle steps that are object changes:
 * {@link dk.sdu.cloud.im.kubevirt.reconcile.ObjectReconciler} takes the
 * {@link dk.sdu.cloud.im.kubevirt.reconcile.DesiredObjects} the pure manifest function computes and creates or
 * updates them (idempotent: zero writes when nothing changed), suspends, unsuspends and terminates jobs, and
 * deletes the Released volumes the plugin made.
 */
package dk.sdu.cloud.im.kubevirt.reconcile;
