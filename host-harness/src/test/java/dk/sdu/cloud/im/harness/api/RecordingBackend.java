package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.compute.DynamicParameter;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.spi.compute.FollowOutput;
import dk.sdu.cloud.im.spi.compute.FollowSession;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.compute.VncOutput;
import dk.sdu.cloud.im.spi.compute.VncSession;
import dk.sdu.cloud.im.spi.host.HostServiceUnavailableException;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.job.ToolDescription;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of a compute backend: records every call as {@code "<operation> <job id>"}, and can be told
 * to reject jobs, to throw from an operation, or to hold an operation until released. Its shell greets with
 * {@link #GREETING} and echoes every input back; resizes and closes are recorded as {@code "resize <job id>
 * <cols>x<rows>"} and {@code "closeShell <job id>"}. A follow ({@code "follow <job id> <rank>"}) starts with
 * {@link #FOLLOW_GREETING} on stdout; its close is recorded as {@code "closeFollow <job id>"}. Its screen (VNC)
 * greets with {@link #RFB_GREETING}, echoes every byte back and records them ({@link #vncReceived}); opens and
 * closes are {@code "openVnc <job id> <rank>"} and {@code "closeVnc <job id>"}.
 */
public final class RecordingBackend implements ComputeBackend {
    /** What a failing operation throws; a test checks that this never reaches the caller. */
    public static final String INTERNAL_DETAIL = "secret internal detail /var/lib/backend";

    private final String name;
    private final Set<String> toolBackends;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> rejections = new ConcurrentHashMap<>();
    private final Map<String, String> screensEndingWhileOpening = new ConcurrentHashMap<>();
    private final Map<String, String> startRejections = new ConcurrentHashMap<>();
    private final Map<String, String> resourceRejections = new ConcurrentHashMap<>();
    private final Set<String> failingOperations = ConcurrentHashMap.newKeySet();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final Set<String> brokenOperations = ConcurrentHashMap.newKeySet();
    private final List<TerminalOutput> shellOutputs = new CopyOnWriteArrayList<>();
    private final CountDownLatch shellClosed = new CountDownLatch(1);
    private volatile boolean shellsRunSh;
    private final List<FollowOutput> followOutputs = new CopyOnWriteArrayList<>();
    private final CountDownLatch followClosed = new CountDownLatch(1);
    /** What a follow stream says first. */
    public static final String FOLLOW_GREETING = "the recording backend's first log line";
    private final List<VncOutput> vncOutputs = new CopyOnWriteArrayList<>();
    private final java.io.ByteArrayOutputStream vncReceived = new java.io.ByteArrayOutputStream();
    /** What a screen says first: the RFB server's version line. */
    public static final String RFB_GREETING = "RFB 003.008\n";
    /** What a shell says first. */
    public static final String GREETING = "welcome to the recording shell\r\n";

    public RecordingBackend() {
        this("Recording", Set.of(ToolDescription.VIRTUAL_MACHINE));
    }

    public RecordingBackend(String name, Set<String> toolBackends) {
        this.name = name;
        this.toolBackends = Set.copyOf(toolBackends);
    }

    /** Calls so far, e.g. {@code ["verify 4242", "start 4242"]}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** Calls so far of one operation, as job ids. */
    public List<String> calls(String operation) {
        return calls.stream().filter(c -> c.startsWith(operation + " "))
                .map(c -> c.substring(operation.length() + 1)).toList();
    }

    /** Rejects the job with this id in verify and start. */
    public RecordingBackend reject(String jobId, String why) {
        rejections.put(jobId, why);
        return this;
    }

    /** Rejects the job with this id in start only (as a backend that finds out late, e.g. a quota). */
    public RecordingBackend rejectInStart(String jobId, String why) {
        startRejections.put(jobId, why);
        return this;
    }

    /** Makes an operation ({@code verify}, {@code start}, ...) throw an unexpected exception. */
    public RecordingBackend failIn(String operation) {
        failingOperations.add(operation);
        return this;
    }

    /** Makes {@code verify} throw what a host service throws when UCloud/Core does not answer. */
    public RecordingBackend coreUnavailableInVerify() {
        failingOperations.add("verify:unavailable");
        return this;
    }

    /** Undoes {@link #failIn}. */
    public RecordingBackend stopFailing(String operation) {
        failingOperations.remove(operation);
        return this;
    }

    /**
     * Makes an operation throw the {@code NoClassDefFoundError} of a plugin whose library is missing (an
     * {@code Error}, not an exception).
     */
    public RecordingBackend breakClassPathIn(String operation) {
        brokenOperations.add(operation);
        return this;
    }

    /**
     * Makes an operation ({@code verify}, {@code start}, ...) wait, once entered, until {@link #release}; it is
     * recorded when it ends, as a backend's effect would be. {@code "start 7"} holds only job 7's start.
     */
    public RecordingBackend hold(String operation) {
        entered.put(operation, new CountDownLatch(1));
        gates.put(operation, new CountDownLatch(1));
        return this;
    }

    /** Lets held calls of an operation, and every later one, go on. */
    public void release(String operation) {
        CountDownLatch gate = gates.get(operation);
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Whether a held operation has been entered. */
    public boolean entered(String operation) {
        CountDownLatch latch = entered.get(operation);
        return latch != null && latch.getCount() == 0;
    }

    /** How many job operations (start, suspend, unsuspend, terminate) run now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most job operations (start, suspend, unsuspend, terminate) that ran at the same time so far. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> toolBackends() {
        return toolBackends;
    }

    @Override
    public void verify(Job job) {
        passGate("verify", job);
        record("verify", job);
        if (failingOperations.contains("verify:unavailable")) {
            throw new HostServiceUnavailableException("UCloud/Core cannot be reached now to look up drive 17", null);
        }
        String why = rejections.get(job.id());
        if (why != null) {
            throw new JobRejectedException(why);
        }
    }

    @Override
    public void start(Job job) {
        verify(job);
        String why = startRejections.get(job.id());
        if (why != null) {
            throw new JobRejectedException(why);
        }
        operate("start", job);
    }

    @Override
    public void suspend(Job job) {
        operate("suspend", job);
    }

    @Override
    public void unsuspend(Job job) {
        operate("unsuspend", job);
    }

    @Override
    public void terminate(Job job) {
        operate("terminate", job);
    }

    /** Refuses to attach the resource with this id (as a backend refuses an IP the user does not hold). */
    public RecordingBackend rejectResource(String resourceId, String why) {
        resourceRejections.put(resourceId, why);
        return this;
    }

    /** Records {@code attachResource <job> <type>:<id> [<resource ids the job lists>]}. */
    @Override
    public void attachResource(Job job, AppParameterValue resource) {
        String why = resourceRejections.get(resource.id());
        if (why != null) {
            throw new JobRejectedException(why);
        }
        calls.add("attachResource " + job.id() + " " + resource.type() + ":" + resource.id() + " "
                + job.specification().resources().stream().map(AppParameterValue::id).filter(java.util.Objects::nonNull)
                .toList());
    }

    /** Records {@code detachResource <job> <type>:<id> [<resource ids the job lists>]}. */
    @Override
    public void detachResource(Job job, AppParameterValue resource) {
        calls.add("detachResource " + job.id() + " " + resource.type() + ":" + resource.id() + " "
                + job.specification().resources().stream().map(AppParameterValue::id).filter(java.util.Objects::nonNull)
                .toList());
    }

    @Override
    public TerminalSession openShell(Job job, int rank, TerminalSize size, TerminalOutput output) {
        calls.add("openShell " + job.id() + " " + rank + " " + size.cols() + "x" + size.rows());
        String why = rejections.get("shell " + job.id());
        if (why != null) {
            throw new JobRejectedException(why);
        }
        if (failingOperations.contains("openShell")) {
            throw new IllegalStateException(INTERNAL_DETAIL);
        }
        shellOutputs.add(output);
        if (shellsRunSh) {
            return ShProcessShell.start(output, () -> {
                calls.add("closeShell " + job.id());
                shellClosed.countDown();
            });
        }
        output.data(GREETING);
        return new TerminalSession() {
            @Override
            public void input(String data) {
                output.data(data);
            }

            @Override
            public void resize(TerminalSize newSize) {
                calls.add("resize " + job.id() + " " + newSize.cols() + "x" + newSize.rows());
            }

            @Override
            public void close() {
                calls.add("closeShell " + job.id());
                shellClosed.countDown();
            }
        };
    }

    @Override
    public FollowSession follow(Job job, int rank, FollowOutput output) {
        calls.add("follow " + job.id() + " " + rank);
        String why = rejections.get("follow " + job.id());
        if (why != null) {
            throw new JobRejectedException(why);
        }
        followOutputs.add(output);
        output.message(FollowMessage.stdout(rank, FOLLOW_GREETING));
        return () -> {
            calls.add("closeFollow " + job.id());
            followClosed.countDown();
        };
    }

    /** Makes {@link #follow} refuse the job with a {@link JobRejectedException}. */
    public RecordingBackend rejectFollow(String jobId, String why) {
        rejections.put("follow " + jobId, why);
        return this;
    }

    /** Sends a message on every follow stream opened so far. */
    public void emit(FollowMessage message) {
        followOutputs.forEach(output -> output.message(message));
    }

    /** Ends every follow stream opened so far from the backend's side. */
    public void endFollows(String reason) {
        followOutputs.forEach(output -> output.ended(reason));
    }

    /** Waits (the deadline only bounds a failure) until a follow stream was closed by the follower's side. */
    public boolean awaitFollowClosed(long seconds) throws InterruptedException {
        return followClosed.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public VncSession openVnc(Job job, int rank, VncOutput output) {
        calls.add("openVnc " + job.id() + " " + rank);
        String why = rejections.get("vnc " + job.id());
        if (why != null) {
            throw new JobRejectedException(why);
        }
        if (failingOperations.contains("openVnc")) {
            throw new IllegalStateException(INTERNAL_DETAIL);
        }
        vncOutputs.add(output);
        output.data(ByteBuffer.wrap(RFB_GREETING.getBytes(StandardCharsets.US_ASCII)));
        String endedWhileOpening = screensEndingWhileOpening.get(job.id());
        if (endedWhileOpening != null) {
            output.closed(endedWhileOpening);
        }
        return new VncSession() {
            @Override
            public void send(ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.duplicate().get(bytes);
                synchronized (vncReceived) {
                    vncReceived.writeBytes(bytes);
                }
                output.data(ByteBuffer.wrap(bytes));
            }

            @Override
            public void close() {
                calls.add("closeVnc " + job.id());
            }
        };
    }

    /**
     * Makes {@link #openVnc} of the job end the screen (after its greeting) before it returns the session: the
     * order a backend's own thread may produce when the machine stops just as the screen opens.
     */
    public RecordingBackend endScreenWhileOpening(String jobId, String reason) {
        screensEndingWhileOpening.put(jobId, reason);
        return this;
    }

    /** Makes {@link #openVnc} refuse the job's screen with a {@link JobRejectedException}. */
    public RecordingBackend rejectVnc(String jobId, String why) {
        rejections.put("vnc " + jobId, why);
        return this;
    }

    /** Every byte the screens received from viewers so far. */
    public byte[] vncReceived() {
        synchronized (vncReceived) {
            return vncReceived.toByteArray();
        }
    }

    /** Ends every screen opened so far from the backend's side. */
    public void endScreens(String reason) {
        vncOutputs.forEach(output -> output.closed(reason));
    }

    /** Makes shells a real {@code sh} process (no terminal: no echo, no prompt), for commands that must run. */
    public RecordingBackend shellsRunSh() {
        shellsRunSh = true;
        return this;
    }

    /** Makes {@link #openShell} refuse the job's shell with a {@link JobRejectedException}. */
    public RecordingBackend rejectShell(String jobId, String why) {
        rejections.put("shell " + jobId, why);
        return this;
    }

    /** Ends every shell opened so far from the backend's side. */
    public void endShells(String reason) {
        shellOutputs.forEach(output -> output.closed(reason));
    }

    /** Waits (the deadline only bounds a failure) until a shell was closed by the user's side. */
    public boolean awaitShellClosed(long seconds) throws InterruptedException {
        return shellClosed.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public boolean supportsProduct(Product product) {
        if (failingOperations.contains("supportsProduct")) {
            throw new IllegalStateException(INTERNAL_DETAIL);
        }
        if (brokenOperations.contains("supportsProduct")) {
            throw new NoClassDefFoundError(INTERNAL_DETAIL);
        }
        return product.allowVirtualMachines();
    }

    @Override
    public List<DynamicParameter> dynamicParameters(NameAndVersion application) {
        return List.of(new DynamicParameter("diskSize", "integer", "Disk size",
                "The size of the VM's disk", 15L, 2000L, 1L, "GiB", 50, false));
    }

    @Override
    public String renderManifests(Job job) {
        return "# manifests of job " + job.id() + "\n";
    }

    private void operate(String operation, Job job) {
        int now = inFlight.incrementAndGet();
        mostInFlight.accumulateAndGet(now, Math::max);
        try {
            passGate(operation, job);
            record(operation, job);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void passGate(String operation, Job job) {
        String key = gates.containsKey(operation + " " + job.id()) ? operation + " " + job.id() : operation;
        CountDownLatch enteredLatch = entered.get(key);
        if (enteredLatch != null) {
            enteredLatch.countDown();
        }
        CountDownLatch gate = gates.get(key);
        if (gate == null) {
            return;
        }
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(operation + " was held for too long");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void record(String operation, Job job) {
        if (failingOperations.contains(operation)) {
            throw new IllegalStateException(INTERNAL_DETAIL);
        }
        if (brokenOperations.contains(operation)) {
            throw new NoClassDefFoundError(INTERNAL_DETAIL);
        }
        calls.add(operation + " " + job.id());
    }
}
