package dk.sdu.cloud.im.kubevirt.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Small disk images made with the real qemu-img, and facts about files. */
public final class TestImages {
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    private TestImages() {
    }

    /** Fails (never skips) when qemu-img is missing: CI installs qemu-utils, and these tests need it. */
    public static void requireQemuImg() {
        try {
            String out = run("qemu-img", "--version");
            assertThat(out).as("qemu-img --version").contains("qemu-img version");
        } catch (IOException | AssertionError e) {
            fail("qemu-img is not installed or not working (" + e.getMessage() + "); these tests use the real "
                    + "program: install the Debian/Ubuntu package qemu-utils (apt-get install -y qemu-utils)");
        }
    }

    /** Bytes that are different everywhere, so that a misplaced block shows. */
    public static byte[] pattern(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A qcow2 image whose disk holds {@code content} from offset 0. */
    public static Path qcow2(Path folder, String name, byte[] content) throws IOException {
        Path raw = folder.resolve(name + ".raw-source");
        Files.write(raw, content);
        Path image = folder.resolve(name);
        run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), image.toString());
        Files.delete(raw);
        return image;
    }

    /** The bytes of a qcow2 image whose disk holds {@code content}. */
    static byte[] qcow2Bytes(Path folder, String name, byte[] content) throws IOException {
        return Files.readAllBytes(qcow2(folder, name, content));
    }

    /** An empty qcow2 image of the given virtual size, e.g. {@code 2G}. */
    static Path emptyQcow2(Path folder, String name, String size) throws IOException {
        Path image = folder.resolve(name);
        run("qemu-img", "create", "-f", "qcow2", image.toString(), size);
        return image;
    }

    /** A qcow2 image that reads its data from another file. */
    static Path qcow2WithBackingFile(Path folder, String name, Path backing) throws IOException {
        Path image = folder.resolve(name);
        run("qemu-img", "create", "-f", "qcow2", "-b", backing.toString(), "-F", "qcow2", image.toString());
        return image;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] read(Path file, long offset, int length) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // reads until full or end of file
            }
            return buffer.array();
        }
    }

    /** Runs a command, failing with its output when it does not succeed. */
    static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + text);
        }
        return text;
    }

    /** A sparse file of {@code size} bytes, all zeros, as a job disk is before qemu-img converts into it. */
    static Path sparseFile(Path folder, String name, long size) throws IOException {
        Path file = folder.resolve(name);
        try (var raw = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(size);
        }
        return file;
    }

    /** The bytes the file system has allocated for a file (a sparse file's holes take none). */
    static long allocatedBytes(Path file) throws IOException {
        return Long.parseLong(run("stat", "-c", "%b", file.toString()).strip()) * 512;
    }

    /**
     * An executable script in {@code folder} that stands in for qemu-img: it appends each call's arguments,
     * one line per call, to {@code calls}, then runs {@code body} (sh, the arguments in {@code "$@"}).
     */
    static Path fakeQemuImg(Path folder, Path calls, String body) throws IOException {
        Path script = folder.resolve("qemu-img-" + Integer.toHexString(body.hashCode()));
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n" + body + "\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** Every file in a folder, by name (empty when the folder does not exist). */
    static List<String> names(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (var entries = Files.list(folder)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }
}
