package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.VmMount;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SystemdUnitTest {

    @Test
    void rendersSectionsInOrder() {
        SystemdUnit unit = SystemdUnit.builder("x.service")
                .section("Unit").set("Description", "X").set("After", "network.target")
                .section("Service").set("ExecStart", "/bin/x --flag")
                .build();
        assertThat(unit.text()).isEqualTo("""
                [Unit]
                Description=X
                After=network.target

                [Service]
                ExecStart=/bin/x --flag
                """);
    }

    @Test
    void aValueCannotAddDirectives() {
        assertThatThrownBy(() -> SystemdUnit.builder("x.service").section("Service")
                .set("ExecStart", "/bin/true\nExecStartPost=/bin/evil").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single line");
        assertThatThrownBy(() -> SystemdUnit.builder("x.service").section("Unit\r\n[Service]").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mountUnitNamesAreEscapedAsSystemdDoes() {
        assertThat(SystemdUnit.mountUnitName("/opt/ucloud")).isEqualTo("opt-ucloud.mount");
        assertThat(SystemdUnit.mountUnitName("/etc/ucloud")).isEqualTo("etc-ucloud.mount");
        assertThat(SystemdUnit.mountUnitName("/work")).isEqualTo("work.mount");
        assertThat(SystemdUnit.mountUnitName("/work/my-data")).isEqualTo("work-my\\x2ddata.mount");
        assertThat(SystemdUnit.mountUnitName("/a b/.c")).isEqualTo("a\\x20b-.c.mount");
        assertThat(SystemdUnit.mountUnitName("/.hidden")).isEqualTo("\\x2ehidden.mount");
        assertThat(SystemdUnit.mountUnitName("/x:y")).isEqualTo("x:y.mount");
        assertThatThrownBy(() -> SystemdUnit.mountUnitName("/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAgentRestartsForeverAndWaitsForItsFolders() {
        String agent = GuestUnits.agent().text();
        assertThat(agent).contains("[Unit]\n", "StartLimitIntervalSec=0\n", "[Service]\n", "Type=simple\n",
                "User=ucloud\n", "RestartSec=2s\n", "RestartPreventExitStatus=SIGTERM SIGINT\n",
                "KillSignal=SIGTERM\n", "TimeoutStopSec=1s\n", "[Install]\n");
        assertThat(agent.indexOf("StartLimitIntervalSec")).isLessThan(agent.indexOf("[Service]"));
    }

    @Test
    void aMountUnitMountsTheTagAtThePath() {
        VmMount work = VmMount.of(VmMount.Kind.UCLOUD, "work", "/work", "x/work", false);
        SystemdUnit unit = GuestUnits.mount(work);
        assertThat(unit.fileName()).isEqualTo("work.mount");
        assertThat(unit.text()).contains("[Mount]\nWhat=ucloud-work\nWhere=/work\nType=virtiofs\nOptions=rw\n");
    }
}
