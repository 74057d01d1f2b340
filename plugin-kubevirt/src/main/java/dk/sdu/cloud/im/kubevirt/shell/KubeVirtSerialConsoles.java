package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.stream.VmiStream;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreamListener;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreams;

import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * Serial consoles through the API server: the VirtualMachineInstance's {@code console} subresource
 * ({@link KubeVirtApi#consolePath}), a stream of {@link VmiStreams}.
 *
 * <p>KubeVirt keeps one console connection per VMI: a newer one (another user's, {@code virtctl console}) ends
 * this one, which the listener then hears as the stream's end.
 */
public final class KubeVirtSerialConsoles implements SerialConsoles {
    /** How the console is named in messages for the user. */
    static final String WHAT = "the serial console";

    private final VmiStreams streams;

    public KubeVirtSerialConsoles(VmiStreams streams) {
        this.streams = requireNonNull(streams, "streams is null");
    }

    @Override
    public CompletableFuture<VmiStream> open(String vmiName, VmiStreamListener listener) {
        return streams.open(vmiName, KubeVirtApi.CONSOLE_SUBRESOURCE, WHAT, listener).thenApply(stream -> stream);
    }
}
