package dk.sdu.cloud.im.harness.settings;

/** RFC 1123 labels, as Kubernetes requires for namespace names. */
final class DnsLabels {
    private DnsLabels() {
    }

    static boolean isDnsLabel(String text) {
        return text.length() <= 63 && text.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }
}
