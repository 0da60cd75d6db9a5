// The server as a process: malformed and oversized requests, keep-alive, the access log,
// --listen on IPv4 and IPv6, and a clean, graceful exit on SIGTERM and SIGINT.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';

import { BIN, freePort, hasIPv6Loopback, raw, rawStatus, request, startServer, waitFor } from './lib.mjs';

const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (\S+) (\S+) (\d{3}) (\d+)$/;

function logLines(server) {
    return server.stdout.split('\n').filter((l) => l && !l.startsWith('planpack: serving on'));
}

async function healthy(server) {
    const res = await request(server, { path: '/healthz' });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'ok\n');
}

describe('bad requests', () => {
    let server;
    before(async () => {
        server = await startServer();
    });
    after(async () => {
        if (server)
            await server.stopClean();
    });

    it('answers a malformed request line with 400 and keeps answering good requests', async () => {
        const lines = [
            'GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n',
            'GET / FOO/1.1\r\nHost: x\r\n\r\n',
            'GET /\r\n\r\n',
            'GET / HTTP/1.1\r\nHost: x\r\n Folded: y\r\n\r\n',
            'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
        ];
        for (const line of lines) {
            const text = await raw(server, line, { idleMs: 500 });
            assert.equal(rawStatus(text), 400, `${JSON.stringify(line)} got ${text.slice(0, 40) || 'no answer'}`);
            await healthy(server);
        }
        const version = await raw(server, 'GET / HTTP/9.9\r\nHost: x\r\n\r\n', { idleMs: 500 });
        assert.equal(rawStatus(version), 505);
    });

    it('drops a request line with no target at all and stays healthy', async () => {
        // libmicrohttpd 0.9.75 closes such a connection without an answer; either is fine,
        // as long as nothing else is sent and the server goes on answering.
        for (const line of ['GARBAGE\r\n\r\n', 'GET\r\n\r\n', '\r\n\r\nG E T\r\n\r\n', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03']) {
            const text = await raw(server, line, { idleMs: 500 });
            assert.ok(text === '' || rawStatus(text) === 400, `${JSON.stringify(line)} got ${text.slice(0, 40)}`);
            await healthy(server);
        }
    });

    it('answers 400 to a body framed by a coding other than chunked', async () => {
        for (const te of ['gzip', 'gzip, chunked', 'identity']) {
            const text = await raw(server, `POST /plan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${te}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nwords=x`, { idleMs: 500 });
            assert.equal(rawStatus(text), 400, `Transfer-Encoding: ${te}`);
        }
        await healthy(server);
    });

    it('answers a header line without a colon with 400', async () => {
        const text = await raw(server, 'GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n');
        assert.equal(rawStatus(text), 400);
        await healthy(server);
    });

    it('answers HTTP/1.1 without Host with 400', async () => {
        const text = await raw(server, 'GET / HTTP/1.1\r\n\r\n');
        assert.equal(rawStatus(text), 400);
    });

    it('refuses an oversized header and stays healthy', async () => {
        const big = 'a'.repeat(64 * 1024);
        const text = await raw(server, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`);
        const status = rawStatus(text);
        assert.ok(status === 431 || status === 413 || status === 400, `got ${status || 'no answer'}`);
        assert.ok(!text.includes(big.slice(0, 100)), 'the header was echoed back');
        await healthy(server);
    });

    // The cap on headers is about 15 KiB, less when cookies come along, which libmicrohttpd
    // takes apart in the same memory; a browser with a few cookies of the domain fits.
    it('takes a request with 1.5 KiB of headers, as a browser with a few cookies sends', async () => {
        const cookie = Array.from({ length: 8 }, (_, i) => `cookie${i}=${'v'.repeat(110)}`).join('; ');
        const headers = {
            cookie,
            'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
            accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
            'accept-language': 'en-GB,en;q=0.9',
            'accept-encoding': 'gzip, deflate, br',
            'sec-ch-ua': '"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"',
        };
        const size = Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
        assert.ok(size > 1200, `only ${size} bytes of headers`);
        const res = await request(server, { path: '/plan', headers });
        assert.equal(res.status, 200);
    });

    it('takes 3 KiB of headers without cookies', async () => {
        const res = await request(server, { path: '/plan', headers: { 'x-long': 'a'.repeat(3000) } });
        assert.equal(res.status, 200);
    });

    it('refuses an oversized request target and stays healthy', async () => {
        const text = await raw(server, `GET /${'p'.repeat(40 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
        const status = rawStatus(text);
        assert.ok([414, 431, 400].includes(status), `got ${status || 'no answer'}`);
        await healthy(server);
    });

    it('answers good requests after a burst of bad ones', async () => {
        const burst = [];
        for (let i = 0; i < 40; i++)
            burst.push(raw(server, i % 2 ? 'BROKEN\r\n\r\n' : `GET / HTTP/1.1\r\nHost: x\r\nX: ${'y'.repeat(40000)}\r\n\r\n`, { idleMs: 500 }));
        await Promise.all(burst);
        await healthy(server);
        const res = await request(server, { path: '/' });
        assert.equal(res.status, 200);
    });

    it('keeps a connection alive across requests', async () => {
        const get = (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`;
        const text = await raw(server, [get('/healthz'), get('/healthz'), get('/nope')], { pauseMs: 200 });
        const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
        assert.deepEqual(statuses, [200, 200, 404]);
        assert.ok(!/\r\nConnection: close\r\n/i.test(text));
    });
});

describe('access log', () => {
    let server;
    before(async () => {
        server = await startServer();
    });
    after(async () => {
        if (server)
            await server.stopClean();
    });

    it('logs one line per request: time, method, path, status, bytes and nothing else', async () => {
        await request(server, { path: '/plan?name=QueryMarker42', headers: { 'user-agent': 'AgentMarker42', cookie: 'CookieMarker42=1' } });
        await request(server, { path: '/nope', method: 'HEAD' });
        const res = await request(server, { path: '/healthz' });
        // Lines are gathered per thread and written out within a fraction of a second.
        await waitFor(() => logLines(server).length >= 3, { what: 'three log lines' });
        await new Promise((r) => setTimeout(r, 300));
        const lines = logLines(server);
        assert.equal(lines.length, 3, server.stdout);
        for (const line of lines)
            assert.match(line, LOG_LINE);
        // Each thread gathers its own lines, so lines of requests made close together may
        // come out of order: find each by its path.
        const fields = lines.map((l) => LOG_LINE.exec(l).slice(1, 5)).sort((a, b) => a[1].localeCompare(b[1]));
        assert.deepEqual(fields.map((f) => f.slice(0, 3)), [
            ['GET', '/healthz', '200'],
            ['HEAD', '/nope', '404'],
            ['GET', '/plan', '200'],
        ]);
        assert.equal(fields[0][3], String(res.body.length));
        assert.equal(fields[1][3], '0');
        for (const secret of ['QueryMarker42', 'AgentMarker42', 'CookieMarker42', '127.0.0.1'])
            assert.ok(!lines.join('\n').includes(secret), `the log holds ${secret}`);
    });

    it('cannot be made to forge a log line', async () => {
        const before_ = logLines(server).length;
        await raw(server, 'GET /a%0a2024-01-01T00:00:00Z%20GET%20/forged%20200%200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        await raw(server, 'GET /b%1b[31m%22 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        await waitFor(() => logLines(server).length >= before_ + 2, { what: 'two more log lines' });
        await new Promise((r) => setTimeout(r, 300));
        const lines = logLines(server).slice(before_);
        assert.equal(lines.length, 2, lines.join('\n'));
        for (const line of lines)
            assert.match(line, LOG_LINE);
        assert.ok(!server.stdout.includes('\x1b'));
    });

    it('is off with --quiet', async () => {
        const quiet = await startServer({ args: ['--quiet'] });
        try {
            await request(quiet, { path: '/' });
            await request(quiet, { path: '/nope' });
        } finally {
            await quiet.stopClean();
        }
        assert.deepEqual(logLines(quiet), []);
    });
});

describe('listening', () => {
    it('serves on the IPv6 loopback with --listen [::1]:PORT', async (t) => {
        if (!(await hasIPv6Loopback())) {
            t.skip('this machine has no IPv6 loopback');
            return;
        }
        const server = await startServer({ host: '[::1]' });
        try {
            await healthy(server);
            const res = await request(server, { path: '/' });
            assert.equal(res.status, 200);
        } finally {
            await server.stopClean();
        }
    });

    it('refuses an address it cannot read, with a message', () => {
        for (const listen of ['localhost', '127.0.0.1:99999', '::1:8080', '[::1]8080', '300.1.1.1:80', '127.0.0.1:', '127.0.0.1:80a']) {
            const r = spawnSync(BIN, ['serve', '--listen', listen], { encoding: 'utf8', timeout: 30_000 });
            assert.equal(r.status, 1, `--listen ${listen}: exit ${r.status}, a usage error is 1`);
            assert.match(r.stderr, /listen|address|port/i, `--listen ${listen}: ${r.stderr}`);
            assert.doesNotMatch(r.stdout, /serving on/);
        }
    });

    it('says so when the port is taken', async () => {
        const port = await freePort();
        const blocker = net.createServer();
        await new Promise((r) => blocker.listen(port, '127.0.0.1', r));
        try {
            const r = spawnSync(BIN, ['serve', '--listen', `127.0.0.1:${port}`], { encoding: 'utf8', timeout: 30_000 });
            assert.equal(r.status, 2, 'a port that cannot be bound is an I/O error (exit 2)');
            assert.match(r.stderr, /in use/i);
        } finally {
            blocker.close();
        }
    });
});

describe('shutdown', () => {
    it('exits 0 on SIGTERM and on SIGINT', async () => {
        for (const signal of ['SIGTERM', 'SIGINT']) {
            const server = await startServer();
            await healthy(server);
            const { code, signal: died } = await server.stop(signal);
            assert.equal(died, null, signal);
            assert.equal(code, 0, `${signal}: ${server.stderr}`);
            assert.doesNotMatch(server.stderr, /Sanitizer|runtime error/);
        }
    });

    it('lets a request in flight finish, then stops accepting and exits 0', async () => {
        const server = await startServer();
        const sock = net.connect({ host: '127.0.0.1', port: server.port });
        await new Promise((r) => sock.on('connect', r));
        let text = '';
        sock.setEncoding('latin1');
        sock.on('data', (d) => (text += d));
        const closed = new Promise((r) => sock.on('close', r));
        sock.on('error', () => {});
        const body = 'a=in+flight';
        sock.write(`POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\na=in`);
        await new Promise((r) => setTimeout(r, 300));
        server.proc.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
        // No new connection is accepted once the server is shutting down.
        const refused = await new Promise((resolve) => {
            const s = net.connect({ host: '127.0.0.1', port: server.port });
            s.on('connect', () => {
                s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
                let got = '';
                s.on('data', (d) => (got += d));
                s.on('close', () => resolve(!got.startsWith('HTTP/1.1 200')));
                s.on('error', () => {});
                setTimeout(() => s.destroy(), 3000);
            });
            s.on('error', () => resolve(true));
        });
        assert.ok(refused, 'a new connection was served after SIGTERM');
        sock.write(body.slice(4));
        await closed;
        assert.equal(rawStatus(text), 200, `the request in flight got: ${text.slice(0, 200)}`);
        assert.match(text, /\r\nConnection: close\r\n/i);
        const { code } = await server.stop();
        assert.equal(code, 0, server.stderr);
    });
});
