package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.VmMount;

import java.util.List;

/** Requests for the cloud-init tests: an ordinary one and one full of hostile strings. */
final class CloudInitFixtures {
    /** Strings that would change a YAML document's structure if they were pasted into it. */
    static final List<String> HOSTILE = List.of(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostile alice@laptop\nssh-rsa AAAA injected@evil",
            "key: value",
            "#cloud-config",
            "--- \n...\n---",
            "&anchor [1, 2]",
            "*anchor",
            "!!python/object/apply:os.system [\"id\"]",
            "'single' \"double\" `back`",
            "- list item",
            "{flow: map}",
            "yes",
            "on",
            "null",
            "~",
            "0x1F",
            "  leading and trailing  ",
            "trailing newline\n",
            "tab\tand\rcarriage",
            "unicode \u00e6\u00f8\u00e5 \u2603 \uD83D\uDE00",
            "|\n  block",
            "% directive",
            "@at",
            "");

    private CloudInitFixtures() {
    }

    static List<VmMount> ucloudMounts() {
        return List.of(
                VmMount.of(VmMount.Kind.UCLOUD, "opt", "/opt/ucloud", "ucloud-exe", true),
                VmMount.of(VmMount.Kind.UCLOUD, "etc", "/etc/ucloud", "home/a/Jobs/VirtualMachines/1/config", true),
                VmMount.of(VmMount.Kind.UCLOUD, "work", "/work", "home/a/Jobs/VirtualMachines/1/work", false));
    }

    static CloudInitRequest ordinary() {
        return new CloudInitRequest("4242", "j-4242", "ws://ucloud-im:42000/api/vmagent",
                new AgentTokens("agent-token-1", "server-token-1"),
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@laptop"), ucloudMounts());
    }

    static CloudInitRequest hostile() {
        List<String> keys = new java.util.ArrayList<>(HOSTILE);
        keys.add(String.join(" | ", HOSTILE));
        return new CloudInitRequest("42\n---\nusers: []", "host: name\n#x", "ws://x/\"; runcmd: [reboot]",
                new AgentTokens("tok\": \"en\n- evil", "--- &a *a"), keys, ucloudMounts());
    }
}
