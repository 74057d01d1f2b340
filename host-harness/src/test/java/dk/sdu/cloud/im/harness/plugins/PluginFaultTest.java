package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.harness.api.RecordingBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The wording of a plugin's fault; a plugin's own classes are covered by {@code PluginFaultApiTest}. */
class PluginFaultTest {

    @Test
    void anObjectNotFromAPluginIsSaidToBeSo() {
        PluginFault fault = PluginFault.of(new RecordingBackend(), "start job 7",
                new IllegalStateException("disk full", new IOException("no space\non /var")));

        assertThat(fault.pluginId()).isEmpty();
        assertThat(fault.text()).isEqualTo("an extension not from a plugin (Recording) failed to start job 7: IllegalStateException");
        assertThat(fault.detail()).isEqualTo("an extension not from a plugin (Recording) failed to start job 7: "
                + "IllegalStateException: disk full; caused by IOException: no space on /var");
        assertThat(fault.withReference("r-1"))
                .isEqualTo(fault.text() + "; error reference r-1 in the provider's log");
    }

    @Test
    void aBackendWhoseNameFailsTooIsNamedByItsClass() {
        RecordingBackend nameless = new RecordingBackend(null, Set.of("X"));

        assertThat(PluginFault.of(nameless, "verify job 1", new NoClassDefFoundError("org/Gone")).text())
                .isEqualTo("an extension not from a plugin (RecordingBackend) failed to verify job 1: NoClassDefFoundError");
    }

    @Test
    void theDetailIsOneBoundedLine() {
        PluginFault fault = PluginFault.of(new Object(), "render job 1", new IllegalStateException("x".repeat(5000)));

        assertThat(fault.detail()).hasSizeLessThan(PluginFault.MAX_REASON_CHARS + 200).endsWith("...").doesNotContain("\n");
    }
}
