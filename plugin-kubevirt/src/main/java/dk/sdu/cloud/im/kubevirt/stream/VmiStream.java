package dk.sdu.cloud.im.kubevirt.stream;

/** An open byte stream to one of a VM's subresources (serial console, screen). Safe to call from any thread. */
public interface VmiStream {

    /** Bytes for the VM, as they are; the array is the stream's afterwards (the caller must not change it). */
    void send(byte[] bytes);

    /** Ends the stream. Does not call {@link VmiStreamListener#closed}. */
    void close();
}
