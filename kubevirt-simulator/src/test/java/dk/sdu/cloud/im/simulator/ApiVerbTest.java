package dk.sdu.cloud.im.simulator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class ApiVerbTest {

    @ParameterizedTest
    @CsvSource({
            "GET,    /api/v1/namespaces/ns/services/j-1,                                GET",
            "GET,    /api/v1/namespaces/ns/services,                                    LIST",
            "GET,    /api/v1/namespaces/ns/services?labelSelector=a%3Db,                LIST",
            "GET,    /api/v1/namespaces/ns/services?watch=true&labelSelector=a,         WATCH",
            "GET,    /api/v1/persistentvolumes/pv-1,                                    GET",
            "GET,    /api/v1/persistentvolumes,                                         LIST",
            "GET,    /api/v1/namespaces/ns,                                             GET",
            "GET,    /api/v1/namespaces,                                                LIST",
            "GET,    /apis/kubevirt.io/v1/namespaces/ns/virtualmachines/vm-1-0,         GET",
            "GET,    /apis/kubevirt.io/v1/namespaces/ns/virtualmachines/vm-1-0/status,  GET",
            "GET,    /apis/kubevirt.io/v1,                                              DISCOVERY",
            "GET,    /apis,                                                             DISCOVERY",
            "GET,    /api,                                                              DISCOVERY",
            "GET,    /version,                                                          DISCOVERY",
            "POST,   /apis/kubevirt.io/v1/namespaces/ns/virtualmachines,                CREATE",
            "PUT,    /apis/kubevirt.io/v1/namespaces/ns/virtualmachines/vm-1-0,         UPDATE",
            "PATCH,  /apis/kubevirt.io/v1/namespaces/ns/virtualmachines/vm-1-0/status,  PATCH",
            "DELETE, /api/v1/namespaces/ns/secrets/s,                                   DELETE",
            "DELETE, /api/v1/namespaces/ns/secrets?labelSelector=a,                     DELETECOLLECTION",
            "HEAD,   /api/v1/namespaces/ns/secrets/s,                                   OTHER",
    })
    void classifiesRequests(String method, String uri, ApiVerb verb) {
        assertThat(ApiVerb.of(method, URI.create("http://localhost:1" + uri))).isEqualTo(verb);
    }

    @ParameterizedTest
    @CsvSource({"CREATE,true", "UPDATE,true", "PATCH,true", "DELETE,true", "DELETECOLLECTION,true",
            "GET,false", "LIST,false", "WATCH,false", "DISCOVERY,false", "OTHER,false"})
    void knowsWrites(ApiVerb verb, boolean write) {
        assertThat(verb.isWrite()).isEqualTo(write);
    }
}
