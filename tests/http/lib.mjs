// Shared helpers for the HTTP tests: start the real planpack binary on a free loopback port,
// send requests with node:http or as raw bytes, and check what every response must carry.
//
// Run from the repository root: `node --test tests/http/`. PLANPACK_BIN names the binary
// (default build/asan/planpack). Works on Node 18 and 20 with no npm packages.
//
// PLANPACK_TEST_PG (a postgres:// URL of a server where tests may create databases, as
// `scripts/pg start` prints) runs everything against PostgreSQL: newDb() then makes a fresh
// database on that server, and every server started without --db gets one of its own.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const ROOT = path.resolve(here, '..', '..');
export const BIN = path.resolve(ROOT, process.env.PLANPACK_BIN || 'build/asan/planpack');

const START_MS = 30_000;
const STOP_MS = 20_000;
const REQUEST_MS = 10_000;

export const SECURITY_HEADERS = {
    'content-security-policy':
        "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    'cross-origin-opener-policy': 'same-origin',
};

export const IMMUTABLE = 'public, max-age=31536000, immutable';

// The PostgreSQL server under test, or '' when the tests use SQLite files.
export const PG = process.env.PLANPACK_TEST_PG || '';
const PG_SCRIPT = path.join(ROOT, 'scripts', 'pg');
const madeDbs = [];

/*
 * A fresh, empty feedback database for the backend under test, as --db takes it: the path
 * dir/name (the file is made by the first planpack that writes it), or the URL of a new
 * PostgreSQL database, dropped when the test process exits.
 */
export function newDb(dir, name = 'feedback.db') {
    if (!PG)
        return path.join(dir, name);
    const r = spawnSync('sh', [PG_SCRIPT, 'newdb', PG], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0)
        throw new Error(`scripts/pg newdb failed: ${r.stderr}`);
    const url = r.stdout.trim();
    madeDbs.push(url);
    return url;
}

process.on('exit', () => {
    if (madeDbs.length)
        spawnSync('sh', [PG_SCRIPT, 'dropdb', ...madeDbs], { stdio: 'ignore', timeout: 60_000 });
});

// A port that was free a moment ago: bind a throwaway socket to port 0 and close it.
export function freePort(host = '127.0.0.1') {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, host, () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

/*
 * Starts `planpack serve --listen HOST:0 [args]` and waits for its ready line, which names
 * the port the system chose (no race with other processes for a free port). The result
 * records everything the server printed; stop() sends SIGTERM (or the given signal) and
 * resolves with the exit code once the process has ended. opts.host is the listen address
 * as written on the command line (default 127.0.0.1; "[::1]" for IPv6).
 */
export async function startServer(opts = {}) {
    const host = opts.host || '127.0.0.1';
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-http-'));
    // opts.prepare(cwd) may lay out the server's working folder before it starts.
    if (opts.prepare)
        opts.prepare(cwd);
    const args = ['serve', '--listen', `${host}:0`, ...(opts.args || [])];
    if (PG && !args.includes('--db'))
        args.push('--db', newDb(cwd));
    const proc = spawn(BIN, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = {
        host,
        hostname: host.replace(/^\[|\]$/g, ''),
        port: 0,
        proc,
        stdout: '',
        stderr: '',
        exited: null,
    };
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => (server.stdout += d));
    proc.stderr.on('data', (d) => (server.stderr += d));
    server.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    const escaped = host.replace(/[[\].]/g, '\\$&');
    const ready = new RegExp(`^planpack: serving on http://${escaped}:(\\d+)/\n`, 'm');
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            proc.kill('SIGKILL');
            reject(new Error(`no ready line after ${START_MS} ms; stderr:\n${server.stderr}`));
        }, START_MS);
        const check = () => {
            const m = ready.exec(server.stdout);
            if (m) {
                server.port = Number(m[1]);
                clearTimeout(timer);
                proc.stdout.off('data', check);
                resolve();
            }
        };
        proc.stdout.on('data', check);
        proc.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`planpack serve exited with ${code} before it was ready:\n${server.stderr}`));
        });
    });
    server.stop = async (signal = 'SIGTERM') => {
        if (proc.exitCode === null && proc.signalCode === null)
            proc.kill(signal);
        let timer;
        const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => {
                proc.kill('SIGKILL');
                reject(new Error(`planpack serve did not exit within ${STOP_MS} ms of ${signal}`));
            }, STOP_MS);
        });
        try {
            return await Promise.race([server.exited, timeout]);
        } finally {
            clearTimeout(timer);
            fs.rmSync(cwd, { recursive: true, force: true });
        }
    };
    // Stops the server and asserts a clean exit: status 0 and, under ASan, no leak report.
    server.stopClean = async () => {
        const { code, signal } = await server.stop();
        assert.equal(signal, null, `server died of ${signal}; stderr:\n${server.stderr}`);
        assert.equal(code, 0, `server exited with ${code}; stderr:\n${server.stderr}`);
        assert.doesNotMatch(server.stderr, /ERROR: (Address|Leak)Sanitizer|runtime error:/);
    };
    return server;
}

/*
 * One request with node:http on a fresh connection. Resolves with status, headers and the
 * body as a Buffer (never decompressed). body may be a string or Buffer.
 */
export function request(server, { method = 'GET', path: p = '/', headers = {}, body, agent } = {}) {
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                host: server.hostname,
                port: server.port,
                method,
                path: p,
                headers,
                agent: agent || false,
                timeout: REQUEST_MS,
            },
            (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () =>
                    resolve({ status: res.statusCode, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }),
                );
                res.on('error', reject);
            },
        );
        req.on('timeout', () => req.destroy(new Error(`${method} ${p}: no answer in ${REQUEST_MS} ms`)));
        req.on('error', reject);
        if (body !== undefined)
            req.write(body);
        req.end();
    });
}

/*
 * Writes raw bytes on a new connection (each item of parts is written after pauseMs) and
 * collects everything the server sends until it closes the connection or idleMs pass
 * without data. Resolves with the text received (latin1, byte for byte).
 */
export function raw(server, parts, { idleMs = 1500, pauseMs = 0 } = {}) {
    if (!Array.isArray(parts))
        parts = [parts];
    return new Promise((resolve, reject) => {
        const sock = net.connect({ host: server.hostname, port: server.port });
        const chunks = [];
        let timer;
        const finish = () => {
            clearTimeout(timer);
            sock.destroy();
            resolve(Buffer.concat(chunks).toString('latin1'));
        };
        const arm = () => {
            clearTimeout(timer);
            timer = setTimeout(finish, idleMs);
        };
        sock.on('data', (d) => {
            chunks.push(d);
            arm();
        });
        sock.on('end', finish);
        sock.on('close', finish);
        // A server that refuses a request may reset the connection: what arrived still counts.
        sock.on('error', (e) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? finish() : reject(e)));
        sock.on('connect', async () => {
            for (const part of parts) {
                if (sock.destroyed)
                    return;
                sock.write(part);
                if (pauseMs)
                    await new Promise((r) => setTimeout(r, pauseMs));
            }
            arm();
        });
    });
}

// The status code of the first response in raw text, or 0 when nothing came back.
export function rawStatus(text) {
    const m = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
    return m ? Number(m[1]) : 0;
}

// Headers of the first response in raw text, lower-cased names, as an array of [name, value].
export function rawHeaders(text) {
    const head = text.split('\r\n\r\n')[0];
    return head
        .split('\r\n')
        .slice(1)
        .map((line) => {
            const i = line.indexOf(':');
            return [line.slice(0, i).toLowerCase(), line.slice(i + 1).trim()];
        });
}

// Every response planpack makes carries these headers and never sets a cookie.
export function assertSecurityHeaders(res, what = '') {
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
        assert.equal(res.headers[name], value, `${what} ${name}`);
    assert.equal(res.headers['set-cookie'], undefined, `${what} must not set a cookie`);
}

// Whether the machine can bind the IPv6 loopback address.
export function hasIPv6Loopback() {
    return new Promise((resolve) => {
        const srv = net.createServer();
        srv.on('error', () => resolve(false));
        srv.listen(0, '::1', () => srv.close(() => resolve(true)));
    });
}

// Links (href and src attributes, CSS url()) in a text body, as written.
export function linksIn(text) {
    const out = [];
    for (const m of text.matchAll(/\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi))
        out.push(m[1] ?? m[2] ?? m[3]);
    for (const m of text.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)/gi))
        out.push(m[1] ?? m[2] ?? m[3]);
    return out.map((s) => s.replace(/&amp;/g, '&'));
}

/*
 * Polls check() every 50 ms until it returns a truthy value, and resolves with that value;
 * rejects with what (and the last error) after ms milliseconds.
 */
export async function waitFor(check, { ms = 5000, what = 'a condition' } = {}) {
    const end = Date.now() + ms;
    let last;
    for (;;) {
        try {
            const v = await check();
            if (v)
                return v;
        } catch (e) {
            last = e;
        }
        if (Date.now() > end)
            throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

// Copies the fixture package tests/fixtures/valid into the folder into, with one question
// more, asked a few weeks later (when: later), so that it has a question in every survey
// part: start (q-year), end (q-before, looking back; q-useful, q-tell, q-comment) and later
// (q-still).
export function partsPackage(into) {
    fs.cpSync(path.join(ROOT, 'tests/fixtures/valid'), into, { recursive: true });
    const file = path.join(into, 'pages/feedback.md');
    const text = fs.readFileSync(file, 'utf8');
    const later = '  - id: q-still\n    type: yesno\n    when: later\n    text: Do you still remember your plan?\n';
    fs.writeFileSync(file, text.replace(/\n---\n/, `\n${later}---\n`));
}
