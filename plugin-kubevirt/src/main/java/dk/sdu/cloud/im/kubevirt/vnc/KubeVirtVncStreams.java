package dk.sdu.cloud.im.kubevirt.vnc;

import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.stream.VmiStream;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreamListener;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreams;
import dk.sdu.cloud.im.spi.compute.VncOutput;
import dk.sdu.cloud.im.spi.compute.VncSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Opens users' views of VMs' screens: each is a stream to the VirtualMachineInstance's {@code vnc} subresource
 * ({@link KubeVirtApi#vncPath}), relayed byte for byte.
 *
 * <p>KubeVirt serves one VNC connection per VMI and ends the older one when a new one connects. So that the
 * older viewer learns why rather than seeing its screen freeze or drop without a word, opening a screen here ends
 * the view this IM had open on the same VMI first, with {@link #ANOTHER_VIEWER} as the reason.
 */
public final class KubeVirtVncStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubeVirtVncStreams.class);
    /** What the older viewer reads when a newer one opened the same VM's screen. */
    public static final String ANOTHER_VIEWER = "another viewer opened this VM's screen";
    /** What a viewer still open reads when the IM stops. */
    static final String STOPPING = "the integration module is stopping";
    /** How a VM's screen is named in messages for the user. */
    static final String WHAT = "the screen (VNC)";
    /** The most a viewer may send before the VM's side is connected; a viewer waits for the server's greeting. */
    static final int MAX_PENDING_BYTES = 64 * 1024;

    private final VmiStreams streams;
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();

    public KubeVirtVncStreams(VmiStreams streams) {
        this.streams = requireNonNull(streams, "streams is null");
    }

    /**
     * Opens a VMI's screen. Returns at once; the VM's bytes, or why it could not be opened, arrive on
     * {@code output}. The view this IM had open on the same VMI is ended first ({@link #ANOTHER_VIEWER}).
     */
    public VncSession open(String vmiName, VncOutput output) {
        requireNonNull(vmiName, "vmiName is null");
        Viewer viewer = new Viewer(vmiName, requireNonNull(output, "output is null"));
        Viewer older = viewers.put(vmiName, viewer);
        if (older != null) {
            older.end(ANOTHER_VIEWER);
        }
        streams.open(vmiName, KubeVirtApi.VNC_SUBRESOURCE, WHAT, viewer)
                .whenComplete((stream, error) -> viewer.connected(stream, error));
        return viewer;
    }

    /** The number of screens open (or opening) now. */
    public int openCount() {
        return viewers.size();
    }

    /** Ends every view still open; their users are told the IM is stopping. */
    @Override
    public void close() {
        for (Viewer viewer : List.copyOf(viewers.values())) {
            viewer.end(STOPPING);
        }
    }

    private enum Phase { CONNECTING, OPEN, ENDED }

    /** One user's view: the host's session on one side, the VMI's stream on the other. */
    private final class Viewer implements VncSession, VmiStreamListener {
        private final String vmiName;
        private final VncOutput output;
        private final Object lock = new Object();
        private Phase phase = Phase.CONNECTING;          // guarded by lock
        private VmiStream stream;                        // guarded by lock
        private final List<byte[]> pending = new ArrayList<>();   // guarded by lock; while connecting
        private int pendingBytes;                        // guarded by lock

        Viewer(String vmiName, VncOutput output) {
            this.vmiName = vmiName;
            this.output = output;
        }

        void connected(VmiStream opened, Throwable error) {
            List<byte[]> toSend;
            synchronized (lock) {
                if (phase != Phase.CONNECTING) {
                    if (opened != null) {
                        opened.close();   // the user left, or another viewer came, while it connected
                    }
                    return;
                }
                if (error != null || opened == null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    String why = cause == null || cause.getMessage() == null
                            ? WHAT + " of " + vmiName + " could not be opened" : cause.getMessage();
                    log.info("VNC of {}: {}", vmiName, why);
                    finish(why);
                    return;
                }
                phase = Phase.OPEN;
                stream = opened;
                toSend = List.copyOf(pending);
                pending.clear();
                pendingBytes = 0;
                // Sent under the lock, so that nothing the viewer sends next overtakes them.
                toSend.forEach(opened::send);
            }
        }

        @Override
        public void send(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            synchronized (lock) {
                switch (phase) {
                    case OPEN -> stream.send(bytes);
                    case CONNECTING -> {
                        pendingBytes += bytes.length;
                        if (pendingBytes > MAX_PENDING_BYTES) {
                            finish("the viewer sent more than " + MAX_PENDING_BYTES
                                    + " bytes before the VM's screen was connected");
                            return;
                        }
                        pending.add(bytes);
                    }
                    case ENDED -> {
                    }
                }
            }
        }

        @Override
        public void output(ByteBuffer bytes) {
            synchronized (lock) {
                if (phase != Phase.ENDED) {
                    output.data(bytes);
                }
            }
        }

        @Override
        public void closed(int code, String reason) {
            synchronized (lock) {
                if (phase == Phase.ENDED) {
                    return;
                }
                log.debug("VNC of {}: the stream ended ({} {})", vmiName, code, reason);
                finish("the VM's screen connection ended" + (reason.isBlank() ? "" : ": " + reason));
            }
        }

        /** Ends the view from this side: the user is told why, the stream is closed. */
        void end(String why) {
            synchronized (lock) {
                if (phase != Phase.ENDED) {
                    finish(why);
                }
            }
        }

        /** Under the lock, not ended yet. */
        private void finish(String why) {
            phase = Phase.ENDED;
            pending.clear();
            viewers.remove(vmiName, this);
            if (stream != null) {
                stream.close();
            }
            output.closed(why);
        }

        @Override
        public void close() {
            VmiStream toClose;
            synchronized (lock) {
                if (phase == Phase.ENDED) {
                    return;
                }
                phase = Phase.ENDED;
                pending.clear();
                toClose = stream;
                viewers.remove(vmiName, this);
            }
            if (toClose != null) {
                toClose.close();
            }
        }
    }
}
