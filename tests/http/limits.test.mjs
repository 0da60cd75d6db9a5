// The limits that keep some clients from taking the server away from the rest: open
// connections in all and per client address, the time in which a request must arrive (a
// slow client, "slowloris"), and a graceful stop while many requests are in flight. Each
// test would fail if its limit were taken away.
//
// Several client addresses come from the loopback network 127.0.0.0/8, which Linux routes
// to the loopback interface as a whole.

import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';

import { rawStatus, request, startServer, waitFor } from './lib.mjs';

const GET_HEALTHZ = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';

// A connection from address `from`, recording what the server sends and when it closes.
function connect(server, from) {
    return new Promise((resolve, reject) => {
        const sock = net.connect({ host: '127.0.0.1', port: server.port, localAddress: from });
        const c = { sock, from, data: '', closed: false };
        sock.setEncoding('latin1');
        sock.on('data', (d) => (c.data += d));
        c.whenClosed = new Promise((r) =>
            sock.on('close', () => {
                c.closed = true;
                r();
            }),
        );
        sock.on('error', () => {});
        sock.once('connect', () => resolve(c));
        sock.once('error', reject);
    });
}

// Sends GET /healthz on c and waits for the answer; fails if none comes within ms.
async function answered(c, ms = 5000) {
    const before = c.data.length;
    c.sock.write(GET_HEALTHZ);
    await waitFor(() => c.data.length > before && c.data.includes('ok\n', before), { ms, what: `an answer for ${c.from}` });
    assert.equal(rawStatus(c.data.slice(before)), 200);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function healthy(server) {
    const res = await request(server, { path: '/healthz' });
    assert.equal(res.status, 200);
}

describe('connection limits', () => {
    it('holds connections past --max-connections back until others end, then serves them', async () => {
        const server = await startServer({ args: ['--max-connections', '8'] });
        const held = [];
        const extra = [];
        try {
            // Each from its own address, so that the limit per client plays no part.
            for (let i = 0; i < 8; i++) {
                const c = await connect(server, `127.0.0.${10 + i}`);
                await answered(c);
                held.push(c);
            }
            for (let i = 0; i < 4; i++) {
                const c = await connect(server, `127.0.0.${30 + i}`);
                c.sock.write(GET_HEALTHZ);
                extra.push(c);
            }
            await sleep(1500);
            assert.deepEqual(extra.map((c) => c.data), ['', '', '', ''], 'a connection over the limit was served');
            for (const c of held)
                assert.ok(!c.closed, `the server closed an admitted connection from ${c.from}`);
            // The admitted connections still work while the others wait.
            await answered(held[0]);
            for (const c of held)
                c.sock.destroy();
            // The ones that waited were not dropped: they are served once there is room.
            for (const c of extra)
                await waitFor(() => rawStatus(c.data) === 200, { ms: 10000, what: `the waiting connection from ${c.from}` });
            await healthy(server);
        } finally {
            for (const c of [...held, ...extra])
                c.sock.destroy();
            await server.stopClean();
        }
    });

    it('refuses connections past --max-per-client from one address and serves other addresses', async () => {
        const server = await startServer({ args: ['--max-per-client', '3'] });
        const conns = [];
        try {
            for (let i = 0; i < 3; i++) {
                const c = await connect(server, '127.0.0.2');
                await answered(c);
                conns.push(c);
            }
            const refused = [];
            for (let i = 0; i < 3; i++) {
                const c = await connect(server, '127.0.0.2');
                c.sock.write(GET_HEALTHZ);
                refused.push(c);
                conns.push(c);
            }
            for (const c of refused) {
                await waitFor(() => c.closed, { ms: 5000, what: 'the server to close a fourth connection from 127.0.0.2' });
                assert.equal(c.data, '', 'a connection over the per-client limit was served');
            }
            // Another address is not held back by the first one's connections.
            const other = await connect(server, '127.0.0.3');
            conns.push(other);
            await answered(other);
            for (const c of conns.slice(0, 3)) {
                assert.ok(!c.closed, 'an admitted connection was closed');
                await answered(c);
            }
            // The limit counts open connections: once one ends, the address may open another.
            conns[0].sock.destroy();
            await conns[0].whenClosed;
            await waitFor(async () => {
                const again = await connect(server, '127.0.0.2');
                conns.push(again);
                again.sock.write(GET_HEALTHZ);
                await sleep(300);
                return rawStatus(again.data) === 200;
            }, { ms: 5000, what: 'a new connection from 127.0.0.2 after one ended' });
            await healthy(server);
        } finally {
            for (const c of conns)
                c.sock.destroy();
            await server.stopClean();
        }
    });
});

describe('slow clients', () => {
    // A client that sends one byte a second never falls silent, so an idle timeout alone
    // would keep it for ever; the request as a whole must arrive within --timeout.
    async function dribble(server, text) {
        const c = await connect(server, '127.0.0.5');
        const start = Date.now();
        let sent = 0;
        const timer = setInterval(() => {
            if (!c.closed && sent < text.length)
                c.sock.write(text[sent++]);
        }, 1000);
        c.sock.write(text[sent++]);
        try {
            // A normal client is served all the while.
            await sleep(1200);
            await healthy(server);
            await Promise.race([c.whenClosed, sleep(8000)]);
        } finally {
            clearInterval(timer);
            c.sock.destroy();
        }
        return { closed: c.closed, after: Date.now() - start, sent, data: c.data };
    }

    it('ends a connection whose headers dribble in a byte a second, after --timeout', async () => {
        const server = await startServer({ args: ['--timeout', '2'] });
        try {
            const r = await dribble(server, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(60) + '\r\n\r\n');
            assert.ok(r.closed, `the slow client was still connected after ${r.after} ms (${r.sent} bytes sent)`);
            assert.ok(r.after < 6000, `the slow client was ended only after ${r.after} ms`);
            assert.equal(rawStatus(r.data), 0, 'the slow request was answered');
            await healthy(server);
        } finally {
            await server.stopClean();
        }
    });

    it('ends a connection whose body dribbles in a byte a second, after --timeout', async () => {
        const server = await startServer({ args: ['--timeout', '2'] });
        try {
            const body = 'a=' + 'b'.repeat(60);
            const head = `POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`;
            const c = await connect(server, '127.0.0.6');
            c.sock.write(head);
            const r = await dribble(server, body);
            assert.ok(r.closed, `the slow body was still being read after ${r.after} ms`);
            assert.ok(r.after < 6000, `the slow body was cut off only after ${r.after} ms`);
            c.sock.destroy();
            await healthy(server);
        } finally {
            await server.stopClean();
        }
    });

    it('keeps a client that sends its request in time and then reads its answer', async () => {
        const server = await startServer({ args: ['--timeout', '2'] });
        try {
            const c = await connect(server, '127.0.0.7');
            // Three requests on one connection, each well within the time, with pauses between.
            for (let i = 0; i < 3; i++) {
                await answered(c);
                await sleep(800);
            }
            assert.ok(!c.closed);
            c.sock.destroy();
        } finally {
            await server.stopClean();
        }
    });
});

describe('SIGTERM under load', () => {
    it('completes every response that had begun, intact, and exits 0', async () => {
        const server = await startServer({ args: ['--quiet'] });
        const plain = (await request(server, { path: '/' })).body;
        const agent = new http.Agent({ keepAlive: true, maxSockets: 48 });
        const stats = { complete: 0, notStarted: 0, broken: [] };
        let stopping = false;

        // One request; a response that began must arrive whole and decode to the page.
        const one = (kind) =>
            new Promise((resolve) => {
                const headers = kind === 'br' ? { 'accept-encoding': 'br' } : kind === 'gzip' ? { 'accept-encoding': 'gzip' } : {};
                const req = http.request({ host: '127.0.0.1', port: server.port, path: '/', headers, agent }, (res) => {
                    const chunks = [];
                    res.on('data', (d) => chunks.push(d));
                    res.on('aborted', () => stats.broken.push(`${kind}: aborted after ${Buffer.concat(chunks).length} bytes`));
                    res.on('error', () => {});
                    res.on('end', () => {
                        const body = Buffer.concat(chunks);
                        try {
                            assert.equal(res.statusCode, 200);
                            assert.equal(body.length, Number(res.headers['content-length']));
                            const decoded = kind === 'br' ? zlib.brotliDecompressSync(body) : kind === 'gzip' ? zlib.gunzipSync(body) : body;
                            assert.deepEqual(decoded, plain);
                            stats.complete++;
                        } catch (e) {
                            stats.broken.push(`${kind}: ${e.message}`);
                        }
                        resolve();
                    });
                });
                // No response began: the server had stopped taking requests, which is allowed.
                req.on('error', () => {
                    stats.notStarted++;
                    resolve();
                });
                req.end();
            });

        // Plan posts whose bodies are still arriving when the signal comes.
        const slowPost = async (i) => {
            const c = await connect(server, '127.0.0.9');
            const body = `words=in+flight+${i}`;
            c.sock.write(`POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
            return { c, rest: body.slice(5) };
        };

        const workers = [];
        for (let w = 0; w < 48; w++) {
            workers.push(
                (async () => {
                    const kinds = ['br', 'gzip', 'identity'];
                    for (let n = 0; n < 100000; n++) {
                        if (stopping && stats.notStarted > 0)
                            return;
                        await one(kinds[(w + n) % 3]);
                    }
                })(),
            );
        }
        const posts = [];
        for (let i = 0; i < 8; i++)
            posts.push(await slowPost(i));
        await sleep(400);
        const beforeSignal = stats.complete;
        server.proc.kill('SIGTERM');
        stopping = true;
        await sleep(300);
        for (const p of posts)
            p.c.sock.write(p.rest);
        for (const p of posts)
            await Promise.race([p.c.whenClosed, sleep(8000)]);
        await Promise.race([Promise.all(workers), sleep(15000)]);
        agent.destroy();
        const { code, signal } = await server.stop();

        assert.deepEqual(stats.broken, [], 'responses that began were cut short or corrupted');
        assert.ok(beforeSignal > 50, `only ${beforeSignal} requests completed before the signal`);
        for (const p of posts) {
            assert.equal(rawStatus(p.c.data), 200, `a plan post in flight got: ${p.c.data.slice(0, 80)}`);
            const [head, page] = p.c.data.split('\r\n\r\n');
            const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
            assert.equal(Buffer.byteLength(page, 'latin1'), length, 'a plan page in flight was cut short');
            assert.match(head, /\r\nConnection: close/i);
        }
        assert.equal(signal, null);
        assert.equal(code, 0, server.stderr);
        assert.doesNotMatch(server.stderr, /ERROR: (Address|Leak)Sanitizer|runtime error:/);
    });
});
