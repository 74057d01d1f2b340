package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.kubevirt.informers.SharedInformers;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.simulator.KubeVirtSimulator;
import dk.sdu.cloud.im.simulator.RequestCounter;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded API server per test class; per test a namespace of its own, a KubeVirt simulator on it, a
 * client for the code under test whose requests are counted and logged, and the shared informers the code under
 * test is handed ({@link #informersOn}), closed when the test ends.
 */
public abstract class EmbeddedClusterTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    protected static final ResourceDefinitionContext VMS = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();
    protected static final ResourceDefinitionContext VMIS = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachineInstance")
            .withPlural("virtualmachineinstances").withNamespaced(true).build();

    protected static EmbeddedKubernetes embedded;
    /** For the test's own looking and poking; not counted. */
    protected static KubernetesClient admin;

    protected String namespace;
    /** A short id unique per test: job ids and PV names are built from it (PVs are cluster-wide). */
    protected String unique;
    protected KubeVirtSimulator simulator;
    protected RequestCounter counter;
    protected RequestLog requestLog;
    /** The client of the code under test. */
    protected KubernetesClient client;
    /** The informers made by {@link #informersOn} in this test. */
    private final List<SharedInformers> informers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() {
        embedded = EmbeddedKubernetes.start();
        admin = embedded.newClient();
    }

    @AfterAll
    static void stopServer() {
        embedded.close();
    }

    @BeforeEach
    void startSimulator() {
        int n = SEQUENCE.incrementAndGet();
        namespace = "ns" + n;
        unique = "t" + n;
        simulator = KubeVirtSimulator.start(embedded.newClient(), namespace);
        counter = new RequestCounter();
        requestLog = new RequestLog();
        client = newCountedClient();
    }

    /**
     * Runs after the test class's own {@code @AfterEach} methods (JUnit runs a superclass's last), so the parts
     * that follow the informers are closed before them, as the plugin closes its parts before its informers.
     */
    @AfterEach
    void closeInformersAndSimulator() {
        informers.forEach(SharedInformers::close);
        informers.clear();
        simulator.close();
    }

    /**
     * Shared informers on a client of the code under test, in the test's namespace, as the plugin's composition
     * root makes them for its parts; closed when the test ends (or before, by the test: closing again does
     * nothing).
     */
    protected SharedInformers informersOn(KubernetesClient client) {
        SharedInformers made = new SharedInformers(client, namespace);
        informers.add(made);
        return made;
    }

    /** Another client of the code under test (an IM restarted), counted by the same counter. */
    protected KubernetesClient newCountedClient() {
        return embedded.newClient(builder -> builder.withHttpClientBuilderConsumer(http -> {
            counter.installOn(http);
            requestLog.installOn(http);
        }));
    }

    protected GenericKubernetesResource vm(String name) {
        return admin.genericKubernetesResources(VMS).inNamespace(namespace).withName(name).get();
    }

    protected GenericKubernetesResource vmi(String name) {
        return admin.genericKubernetesResources(VMIS).inNamespace(namespace).withName(name).get();
    }

    protected String printableStatus(String vmName) {
        GenericKubernetesResource vm = vm(vmName);
        Object status = vm == null ? null : vm.get("status", "printableStatus");
        return status == null ? null : status.toString();
    }

    protected ClusterSnapshot snapshot() {
        return ClusterSnapshot.of(admin, namespace, "vm-" + unique);
    }

    /** Waits until the simulator has nothing to do (after the test saw what it expects). */
    protected void awaitSimulatorIdle() {
        Awaits.await().until(simulator::isIdle);
    }
}
