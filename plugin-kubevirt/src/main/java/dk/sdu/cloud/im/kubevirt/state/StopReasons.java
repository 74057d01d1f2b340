package dk.sdu.cloud.im.kubevirt.state;

/**
 * Why an instance stopped, in one line for the user, from what KubeVirt and the kubelet report: the
 * instance's {@code status.reason} (a lost node) and its launcher pod's state (an eviction, an out-of-memory
 * kill, an exit). Pure.
 */
final class StopReasons {

    static final String NODE_LOST = "The node of the virtual machine stopped responding, so the virtual machine "
            + "was stopped";
    static final String OUT_OF_MEMORY = "The virtual machine ran out of memory and was killed (OOMKilled)";
    static final String EVICTED = "The virtual machine was evicted from its node";
    static final String STOPPED_UNEXPECTEDLY = "The virtual machine stopped unexpectedly";

    private StopReasons() {
    }

    /**
     * Why a failed instance stopped, without a closing full stop.
     *
     * @param vmi the instance (phase {@code Failed})
     * @param pod its launcher pod, or null when it is gone or unknown
     */
    static String of(VmiFacts vmi, LauncherPodFacts pod) {
        if ("NodeUnresponsive".equals(vmi.reason())) {
            return NODE_LOST;
        }
        if (pod != null && "Evicted".equals(pod.reason())) {
            return EVICTED + (pod.message() == null || pod.message().isBlank() ? "" : ": " + oneLine(pod.message()));
        }
        if (pod != null && "OOMKilled".equals(pod.terminatedReason())) {
            return OUT_OF_MEMORY;
        }
        if (pod != null && pod.terminatedReason() != null) {
            return STOPPED_UNEXPECTEDLY + " (" + oneLine(pod.terminatedReason())
                    + (pod.exitCode() == null ? "" : ", exit code " + pod.exitCode()) + ")";
        }
        if (vmi.reason() != null && !vmi.reason().isBlank()) {
            return STOPPED_UNEXPECTEDLY + " (" + oneLine(vmi.reason()) + ")";
        }
        return STOPPED_UNEXPECTEDLY;
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        while (line.endsWith(".")) {
            line = line.substring(0, line.length() - 1);
        }
        return line;
    }
}
