// The web console of one job (harness.console.ConsoleRoutes): a terminal on the job's shell websocket, its VNC screen,
// and a live chart of the metrics on its follow stream. Every call carries the console cookie (same origin).
const jobId = decodeURIComponent(location.pathname.split('/')[2] || '');
const base = `/console/${encodeURIComponent(jobId)}`;
const MAX_POINTS = 600;
const MAX_LOG_LINES = 300;

document.getElementById('job-id').textContent = jobId;

function setState(name, state, text, good) {
    const label = document.getElementById(`${name}-state`);
    label.textContent = text;
    label.className = 'state' + (good === true ? ' ok' : good === false ? ' bad' : '');
    const panel = document.getElementById(name === 'metrics' ? 'chart' : name);
    panel.dataset.state = state;
}

function socketUrl(path) {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path;
}

async function post(what) {
    const response = await fetch(`${base}/${what}`, { method: 'POST', credentials: 'same-origin' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
        throw new Error(body.why || `HTTP ${response.status}`);
    }
    return body;
}

function appendLines(element, text, max) {
    const lines = (element.textContent + text).split('\n');
    element.textContent = lines.slice(Math.max(0, lines.length - max)).join('\n');
    element.scrollTop = element.scrollHeight;
}

// --- Terminal -------------------------------------------------------------------------------------------------------

const term = new Terminal({ cols: 80, rows: 26, rendererType: 'dom', fontSize: 12, scrollback: 2000 });
term.open(document.getElementById('terminal'));

async function openTerminal() {
    let session;
    try {
        session = await post('shell');
    } catch (e) {
        setState('terminal', 'refused', e.message, false);
        term.write(`\r\n[no shell: ${e.message}]\r\n`);
        return;
    }
    const frame = payload => JSON.stringify({ call: session.call, streamId: '0', payload });
    const socket = new WebSocket(socketUrl(session.path));
    socket.onopen = () => socket.send(frame({
        type: 'initialize', sessionIdentifier: session.sessionIdentifier, cols: term.cols, rows: term.rows
    }));
    socket.onmessage = event => {
        const message = JSON.parse(event.data);
        if (message.type === 'response') {
            term.write(`\r\n[${message.payload.why}]\r\n`);
        } else if (message.payload.type === 'initialize') {
            setState('terminal', 'open', 'open', true);
            term.focus();
        } else if (message.payload.type === 'data') {
            term.write(message.payload.data);
        }
    };
    socket.onclose = event => {
        setState('terminal', 'closed', `closed (${event.code}${event.reason ? ': ' + event.reason : ''})`, false);
        term.write('\r\n[the shell ended]\r\n');
    };
    term.onData(data => {
        if (socket.readyState === WebSocket.OPEN) {
            socket.send(frame({ type: 'input', data }));
        }
    });
    term.onResize(size => {
        if (socket.readyState === WebSocket.OPEN) {
            socket.send(frame({ type: 'resize', cols: size.cols, rows: size.rows }));
        }
    });
}

// --- Metrics --------------------------------------------------------------------------------------------------------

// Columns of a utilization-data row: 0 time (ms), 1 CPU (%), 2 memory (bytes), then others this chart leaves out.
const series = [[], [], []];
const chartElement = document.getElementById('chart');
const chart = new uPlot({
    width: Math.max(320, chartElement.clientWidth || 560),
    height: 240,
    // CPU % is of one vCPU, so a busy machine of several goes past 100.
    scales: { x: { time: true }, cpu: { range: (u, min, max) => [0, Math.max(100, max)] }, memory: {} },
    series: [
        {},
        { label: 'CPU %', scale: 'cpu', stroke: '#d9480f', width: 2 },
        { label: 'Memory MiB', scale: 'memory', stroke: '#1c7ed6', width: 2 }
    ],
    axes: [
        {},
        { scale: 'cpu', label: 'CPU %' },
        { scale: 'memory', side: 1, label: 'MiB', grid: { show: false } }
    ]
}, series, chartElement);

function addSamples(text) {
    for (const row of text.split('\n')) {
        const columns = row.trim().split(',');
        if (columns.length < 3) {
            continue;
        }
        const [time, cpu, memory] = columns.slice(0, 3).map(Number);
        if (![time, cpu, memory].every(Number.isFinite)) {
            continue;
        }
        series[0].push(time / 1000);
        series[1].push(cpu);
        series[2].push(memory / (1024 * 1024));
    }
    for (const column of series) {
        column.splice(0, Math.max(0, column.length - MAX_POINTS));
    }
    chart.setData(series);
    chartElement.dataset.points = String(series[0].length);
}

function resetSamples() {
    series.forEach(column => column.length = 0);
    chart.setData(series);
    chartElement.dataset.points = '0';
}

function openFollow() {
    const socket = new WebSocket(socketUrl(`${base}/follow`));
    const kv = document.getElementById('kv');
    const log = document.getElementById('log');
    socket.onopen = () => setState('metrics', 'open', 'live', true);
    socket.onmessage = event => {
        const message = JSON.parse(event.data);
        if (message.error !== undefined) {
            setState('metrics', 'refused', message.error, false);
            return;
        }
        if (message.ended !== undefined) {
            setState('metrics', 'ended', `ended: ${message.ended}`, false);
            return;
        }
        const text = message.stdout ?? '';
        switch (message.channel) {
            case 'utilization-data': addSamples(text); break;
            case 'utilization-data-reset': resetSamples(); break;
            case 'kv': appendLines(kv, text.endsWith('\n') ? text : text + '\n', 40); break;
            case 'ui': break; // chart definitions: this page draws its fixed CPU and memory series
            case null: case undefined:
                appendLines(log, (message.stdout ?? '') + (message.stderr ?? ''), MAX_LOG_LINES); break;
            default: break;
        }
    };
    socket.onclose = event => {
        if (document.getElementById('chart').dataset.state === 'open') {
            setState('metrics', 'closed', `closed (${event.code})`, false);
        }
    };
}

// --- Screen ---------------------------------------------------------------------------------------------------------

async function openScreen() {
    const screen = document.getElementById('screen');
    let session;
    try {
        session = await post('vnc');
    } catch (e) {
        setState('screen', 'unavailable', e.message, false);
        screen.textContent = e.message;
        return;
    }
    // Loaded here, so that a screen that cannot load leaves the terminal and the chart working.
    const { default: RFB } = await import('/console/assets/novnc/core/rfb.js');
    const rfb = new RFB(screen, socketUrl(session.path), { wsProtocols: ['binary'] });
    rfb.scaleViewport = true;
    rfb.addEventListener('connect', () => setState('screen', 'connected', 'connected', true));
    rfb.addEventListener('disconnect', event => setState('screen', 'disconnected',
        event.detail.clean ? 'disconnected' : 'connection lost', false));
    rfb.addEventListener('credentialsrequired', () => setState('screen', 'password', 'asks for a password', false));
    window.consoleScreen = rfb;
}

// What a test (or a curious person in the browser's console) can read.
window.consoleView = {
    terminalText() {
        const buffer = term.buffer.active;
        const lines = [];
        for (let i = 0; i < buffer.length; i++) {
            lines.push(buffer.getLine(i).translateToString(true));
        }
        return lines.join('\n');
    },
    points() {
        return series[0].length;
    },
    screenPixels() {
        const canvas = document.querySelector('#screen canvas');
        if (!canvas || canvas.width === 0 || canvas.height === 0) {
            return 0;
        }
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 0; i < pixels.length; i += 4) {
            if (pixels[i + 3] !== 0 && (pixels[i] | pixels[i + 1] | pixels[i + 2]) !== 0) {
                drawn++;
            }
        }
        return drawn;
    }
};

openTerminal();
openFollow();
openScreen();
