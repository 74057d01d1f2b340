package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.stream.VmiStream;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreamListener;

import java.util.concurrent.CompletableFuture;

/** Opens the serial consoles of VirtualMachineInstances. */
public interface SerialConsoles {

    /**
     * Connects to a VirtualMachineInstance's first serial port.
     *
     * @param vmiName  the VirtualMachineInstance, in the backend's namespace
     * @param listener where the guest's output and the stream's end go; output may arrive before the future
     *                 completes
     * @return completes with the stream once connected; exceptionally (a
     *         {@link dk.sdu.cloud.im.kubevirt.stream.VmiStreamException}) when the console cannot be opened
     */
    CompletableFuture<VmiStream> open(String vmiName, VmiStreamListener listener);
}
