package dk.sdu.cloud.im.kubevirt.informers;

import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.simulator.ApiVerb;
import dk.sdu.cloud.im.simulator.RequestCounts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plugin's informers: one per selection whatever the number of its users, each listed and watched once. */
class SharedInformersTest extends EmbeddedClusterTest {

    static final ResourceDefinitionContext SERVICES = ResourceDefinitionContext.fromResourceType(Service.class);
    static final ResourceDefinitionContext SECRETS = ResourceDefinitionContext.fromResourceType(Secret.class);
    static final Followed OUR_SERVICES = Followed.labelled(SERVICES, "app.kubernetes.io/managed-by", "ucloud-im");
    static final Followed OUR_SECRETS = Followed.labelled(SECRETS, "app.kubernetes.io/managed-by", "ucloud-im");

    SharedInformers informers;

    @BeforeEach
    void makeInformers() {
        informers = new SharedInformers(client, namespace);
    }

    @AfterEach
    void closeInformers() {
        informers.close();
    }

    void service(String name, boolean ours) {
        ServiceBuilder service = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .endMetadata().withNewSpec().addNewPort().withPort(22).endPort().endSpec();
        if (ours) {
            service.editMetadata().addToLabels("app.kubernetes.io/managed-by", "ucloud-im").endMetadata();
        }
        admin.services().inNamespace(namespace).resource(service.build()).create();
    }

    @Test
    void usersOfTheSameSelectionShareOneInformerListedAndWatchedOnce() {
        service("a", true);
        service("b", false);
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("s")
                .addToLabels("app.kubernetes.io/managed-by", "ucloud-im").endMetadata().build()).create();
        Names first = new Names();
        Names second = new Names();
        Names secrets = new Names();
        counter.reset();

        SharedIndexInformer<GenericKubernetesResource> informer = informers.handle(OUR_SERVICES, first);
        assertThat(informers.handle(OUR_SERVICES, second)).isSameAs(informer);
        assertThat(informers.informer(Followed.labelled(SERVICES, "app.kubernetes.io/managed-by", "ucloud-im")))
                .isSameAs(informer);
        informers.handle(OUR_SECRETS, secrets);
        informers.start();
        informers.start();   // a second user's start: nothing more to list

        RequestCounts counts = counter.snapshot();
        assertThat(counts.byVerb()).as("requests: %s", counts.byVerbAndResource())
                .isEqualTo(Map.of(ApiVerb.LIST, 2L, ApiVerb.WATCH, 2L));
        assertThat(informers.size()).isEqualTo(2);
        await().until(() -> first.added.equals(List.of("a")) && second.added.equals(List.of("a"))
                && secrets.added.equals(List.of("s")));

        service("c", true);
        await().until(() -> first.added.equals(List.of("a", "c")) && second.added.equals(List.of("a", "c")));
        assertThat(informer.getStore().list()).extracting(object -> object.getMetadata().getName())
                .containsExactlyInAnyOrder("a", "c");
        assertThat(counter.snapshot().byVerb()).isEqualTo(Map.of(ApiVerb.LIST, 2L, ApiVerb.WATCH, 2L));
    }

    @Test
    void aHandlerAddedToARunningInformerIsToldOfWhatItHolds() {
        service("a", true);
        informers.informer(OUR_SERVICES);
        informers.start();
        counter.reset();

        Names late = new Names();
        informers.handle(OUR_SERVICES, late);
        informers.start();

        await().until(() -> late.added.equals(List.of("a")));
        assertThat(counter.snapshot().total()).isZero();
    }

    @Test
    void selectionsThatDifferInWhatTheyKeepHaveInformersOfTheirOwn() {
        SharedIndexInformer<GenericKubernetesResource> whole = informers.informer(OUR_SERVICES);
        SharedIndexInformer<GenericKubernetesResource> pruned = informers.informer(
                OUR_SERVICES.keeping(Keep.METADATA_AND_STATUS));
        SharedIndexInformer<GenericKubernetesResource> anyService = informers.informer(
                new Followed(SERVICES, Map.of(), Set.of("app.kubernetes.io/managed-by"), Keep.WHOLE));

        assertThat(pruned).isNotSameAs(whole);
        assertThat(anyService).isNotSameAs(whole).isNotSameAs(pruned);
        assertThat(informers.size()).isEqualTo(3);
    }

    @Test
    void anInformersVersionOfAnObjectIsReadWithoutARequest() {
        service("a", true);
        SharedIndexInformer<GenericKubernetesResource> informer = informers.informer(OUR_SERVICES);
        informers.start();
        String key = informers.storeKey(SERVICES, "a");
        String version = admin.services().inNamespace(namespace).withName("a").get().getMetadata()
                .getResourceVersion();
        counter.reset();

        assertThat(informers.resourceVersion(informer, key)).isEqualTo(version);
        assertThat(informers.resourceVersion(informer, informers.storeKey(SERVICES, "none"))).isNull();
        SharedIndexInformer<GenericKubernetesResource> stranger = new SharedInformers(client, namespace)
                .informer(OUR_SERVICES);
        assertThatThrownBy(() -> informers.resourceVersion(stranger, key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not one of these");
        assertThat(counter.snapshot().total()).isZero();
    }

    @Test
    void closedInformersTakeNoNewSelection() {
        informers.informer(OUR_SERVICES);
        informers.start();
        informers.close();

        assertThatThrownBy(() -> informers.informer(OUR_SECRETS)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(informers::start).isInstanceOf(IllegalStateException.class);
    }

    /** The names of the objects a handler was told were added, in order. */
    static final class Names implements ResourceEventHandler<GenericKubernetesResource> {
        final List<String> added = new CopyOnWriteArrayList<>();

        @Override
        public void onAdd(GenericKubernetesResource object) {
            added.add(object.getMetadata().getName());
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
        }
    }
}
