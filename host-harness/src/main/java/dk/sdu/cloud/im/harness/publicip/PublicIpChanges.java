package dk.sdu.cloud.im.harness.publicip;

/** Who hears that a public IP changed while jobs may use it: the jobs bound to it are brought up to date. */
@FunctionalInterface
public interface PublicIpChanges {

    /** The firewall of public IP {@code id} changed; the running jobs that have it apply the new one. */
    void firewallChanged(String id);

    /** Changes nobody hears of (no jobs run here). */
    static PublicIpChanges ignored() {
        return id -> {
        };
    }
}
