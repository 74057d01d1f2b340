package dk.sdu.cloud.im.kubevirt.reconcile;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedFieldsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void whatTheServerAddsDoesNotMatter() {
        JsonNode desired = json("{'kind':'Service','metadata':{'name':'s','labels':{'a':'1'}},"
                + "'spec':{'ports':[{'port':4}],'selector':{'x':'y'}}}");
        JsonNode actual = json("{'kind':'Service','metadata':{'name':'s','uid':'u','resourceVersion':'7',"
                + "'creationTimestamp':'t','labels':{'a':'1','someone':'else'}},"
                + "'spec':{'clusterIP':'10.0.0.1','ports':[{'port':4,'protocol':'TCP','targetPort':4}],"
                + "'selector':{'x':'y'},'sessionAffinity':'None'},'status':{'loadBalancer':{}}}");
        assertThat(ManagedFields.match(desired, actual)).isTrue();
    }

    @Test
    void aDifferentValueOrListDiffers() {
        JsonNode actual = json("{'spec':{'ports':[{'port':4}],'type':'ClusterIP'},'metadata':{}}");
        assertThat(ManagedFields.match(json("{'spec':{'type':'NodePort'},'metadata':{}}"), actual)).isFalse();
        assertThat(ManagedFields.match(json("{'spec':{'ports':[{'port':4},{'port':5}]},'metadata':{}}"), actual)).isFalse();
        assertThat(ManagedFields.match(json("{'spec':{'ports':[{'port':5}]},'metadata':{}}"), actual)).isFalse();
        assertThat(ManagedFields.match(json("{'data':{'k':'dg=='},'metadata':{}}"), json("{'metadata':{}}"))).isFalse();
        assertThat(ManagedFields.firstDifference(json("{'data':{'k':'dg=='},'metadata':{}}"), json("{'metadata':{}}")))
                .isEqualTo("data");
    }

    @Test
    void numbersAndQuantitiesCompareByValue() {
        assertThat(ManagedFields.match(json("{'spec':{'n':1},'metadata':{}}"), json("{'spec':{'n':1.0},'metadata':{}}")))
                .isTrue();
        assertThat(ManagedFields.match(json("{'spec':{'resources':{'requests':{'cpu':'1000m','memory':'1Gi'}}},'metadata':{}}"),
                json("{'spec':{'resources':{'requests':{'cpu':'1','memory':'1024Mi'}}},'metadata':{}}"))).isTrue();
        assertThat(ManagedFields.match(json("{'spec':{'memory':{'guest':'4000M'}},'metadata':{}}"),
                json("{'spec':{'memory':{'guest':'4G'}},'metadata':{}}"))).isTrue();
        // Only where quantities live: elsewhere "1" and "1000m" are different strings.
        assertThat(ManagedFields.match(json("{'spec':{'name':'1000m'},'metadata':{}}"),
                json("{'spec':{'name':'1'},'metadata':{}}"))).isFalse();
        assertThat(ManagedFields.match(json("{'spec':{'resources':{'requests':{'cpu':'2'}}},'metadata':{}}"),
                json("{'spec':{'resources':{'requests':{'cpu':'1'}}},'metadata':{}}"))).isFalse();
    }

    @Test
    void emptyDesiresMatchAbsence() {
        assertThat(ManagedFields.match(json("{'spec':{'a':{},'b':[],'c':null},'metadata':{'labels':{}}}"),
                json("{'spec':{},'metadata':{}}"))).isTrue();
    }

    @Test
    void ourLabelsAndAnnotationsThatAreNoLongerWantedDiffer() {
        JsonNode desired = json("{'metadata':{'labels':{'ucloud.dk/jobId':'1'},'annotations':{}}}");
        assertThat(ManagedFields.match(desired, json("{'metadata':{'labels':{'ucloud.dk/jobId':'1','x':'y'},"
                + "'annotations':{'other.io/a':'b'}}}"))).isTrue();
        assertThat(ManagedFields.match(desired, json("{'metadata':{'labels':{'ucloud.dk/jobId':'1'},"
                + "'annotations':{'ucloud.dk/vmVolPath-x':'p'}}}"))).isFalse();
        assertThat(ManagedFields.match(desired, json("{'metadata':{'labels':{'ucloud.dk/jobId':'2'}}}"))).isFalse();
    }

    @Test
    void ownerReferencesMustBeOursAndOnlyOurVm() {
        String ours = "{'apiVersion':'kubevirt.io/v1','kind':'VirtualMachine','name':'vm','uid':'u1'}";
        String oldVm = "{'apiVersion':'kubevirt.io/v1','kind':'VirtualMachine','name':'vm','uid':'u0'}";
        String other = "{'apiVersion':'v1','kind':'ConfigMap','name':'c','uid':'c1'}";
        JsonNode desired = json("{'metadata':{'ownerReferences':[" + ours + "]}}");
        assertThat(ManagedFields.match(desired, json("{'metadata':{'ownerReferences':[" + ours + "]}}"))).isTrue();
        assertThat(ManagedFields.match(desired, json("{'metadata':{'ownerReferences':[" + other + "," + ours + "]}}")))
                .isTrue();
        assertThat(ManagedFields.match(desired, json("{'metadata':{'ownerReferences':[" + oldVm + "]}}"))).isFalse();
        assertThat(ManagedFields.match(desired, json("{'metadata':{'ownerReferences':[" + oldVm + "," + ours + "]}}")))
                .isFalse();
        assertThat(ManagedFields.match(desired, json("{'metadata':{}}"))).isFalse();
    }

    @Test
    void theOverlayKeepsWhatTheServerSetAndWritesOursOverIt() {
        JsonNode actual = json("{'apiVersion':'v1','kind':'PersistentVolume','metadata':{'name':'pv','uid':'u',"
                + "'resourceVersion':'9','labels':{'ucloud.dk/old':'x','keep':'me'},"
                + "'ownerReferences':[{'kind':'VirtualMachine','uid':'u0'},{'kind':'Other','uid':'o'}]},"
                + "'spec':{'claimRef':{'name':'c'},'capacity':{'storage':'1Gi'},'accessModes':['ReadWriteOnce','ReadOnlyMany']},"
                + "'status':{'phase':'Bound'}}");
        JsonNode desired = json("{'apiVersion':'v1','kind':'PersistentVolume','metadata':{'name':'pv',"
                + "'labels':{'ucloud.dk/jobId':'1'},'ownerReferences':[{'kind':'VirtualMachine','uid':'u1'}]},"
                + "'spec':{'capacity':{'storage':'2Gi'},'accessModes':['ReadWriteMany']}}");

        JsonNode body = ManagedFields.overlay(actual, desired, Set.of());

        assertThat(body.path("metadata").path("resourceVersion").asString()).isEqualTo("9");
        assertThat(body.path("metadata").path("uid").asString()).isEqualTo("u");
        assertThat(body.path("metadata").path("labels")).isEqualTo(json("{'keep':'me','ucloud.dk/jobId':'1'}"));
        assertThat(body.path("metadata").path("ownerReferences"))
                .isEqualTo(json("[{'kind':'Other','uid':'o'},{'kind':'VirtualMachine','uid':'u1'}]"));
        assertThat(body.path("spec").path("claimRef").path("name").asString()).isEqualTo("c");
        assertThat(body.path("spec").path("capacity").path("storage").asString()).isEqualTo("2Gi");
        assertThat(body.path("spec").path("accessModes")).isEqualTo(json("['ReadWriteMany']"));
        assertThat(body.path("status").path("phase").asString()).isEqualTo("Bound");
        assertThat(ManagedFields.match(desired, body)).isTrue();
    }

    @Test
    void aFieldReplacedWholeLosesWhatTheDesireLacks() {
        JsonNode actual = json("{'metadata':{},'spec':{'runStrategy':'Always','template':{'spec':{'nodeSelector':{'a':'b'}}}}}");
        JsonNode desired = json("{'metadata':{},'spec':{'runStrategy':'Always','template':{'spec':{}}}}");
        assertThat(ManagedFields.overlay(actual, desired, Set.of("spec")).path("spec"))
                .isEqualTo(json("{'runStrategy':'Always','template':{'spec':{}}}"));
        assertThat(ManagedFields.overlay(actual, desired, Set.of()).path("spec").path("template").path("spec")
                .path("nodeSelector").path("a").asString()).isEqualTo("b");
    }
}
