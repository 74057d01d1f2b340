package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** A unit of the simulator's work queue: what to look at again. Equal work is queued once. */
sealed interface Work {

    /** Bring a VirtualMachine's VMI and status in line with its run strategy. */
    record Vm(String name) implements Work {
    }

    /** Delete an object if every VirtualMachine that owns it is gone. */
    record OrphanCheck(ResourceDefinitionContext kind, String name) implements Work {
    }

    /** Make a PersistentVolume without a claim Available. */
    record Volume(String name) implements Work {
    }

    /** Bind a claim to the PersistentVolume it names. */
    record Claim(String name) implements Work {
    }

    /** A claim is gone: release (Retain) or delete (Delete) the volume it was bound to. */
    record ClaimGone(String name, String uid, String volumeName) implements Work {
    }

    /** End a running VMI the way {@code how} says. */
    record End(String name, InstanceEnd how) implements Work {
    }

    /** A VMI is gone: delete its launcher pod (the garbage collector's work for objects a VMI owns). */
    record LauncherGone(String podName) implements Work {
    }
}
