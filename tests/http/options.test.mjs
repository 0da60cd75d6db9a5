// Options of `planpack serve` that an operator sets: --behind-tls (HSTS on every response,
// and only then), the limits' values, and the manual page that must describe every option
// and command that the built-in help shows.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { BIN, ROOT, raw, rawHeaders, request, startServer } from './lib.mjs';

const HSTS = 'max-age=31536000';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

// One of each kind of response: pages, assets, 304, 404, 405, 413, 400, the plan and health.
async function everyKind(server) {
    const page = await request(server, { path: '/' });
    const css = /href="\/?(assets\/[^"]+\.css)"/.exec(page.body.toString('utf8'));
    assert.ok(css, 'the start page links no stylesheet');
    const out = [
        ['GET /', page],
        ['GET css', await request(server, { path: `/${css[1]}`, headers: { 'accept-encoding': 'br' } })],
        ['GET / gzip', await request(server, { path: '/', headers: { 'accept-encoding': 'gzip' } })],
        ['304', await request(server, { path: '/', headers: { 'if-none-match': page.headers.etag } })],
        ['404', await request(server, { path: '/no-such-page' })],
        ['405', await request(server, { method: 'DELETE', path: '/' })],
        ['healthz', await request(server, { path: '/healthz' })],
        ['POST /plan', await request(server, { method: 'POST', path: '/plan', headers: FORM, body: 'a=b' })],
        ['400', await request(server, { method: 'POST', path: '/plan', headers: FORM, body: 'a=%zz' })],
        ['413', await request(server, { method: 'POST', path: '/plan', headers: FORM, body: 'a='.padEnd(20000, 'x') })],
    ];
    const statuses = out.map(([, r]) => r.status);
    assert.deepEqual(statuses, [200, 200, 200, 304, 404, 405, 200, 200, 400, 413]);
    return out;
}

describe('--behind-tls', () => {
    it('adds Strict-Transport-Security to every response', async () => {
        const server = await startServer({ args: ['--behind-tls'] });
        try {
            for (const [what, res] of await everyKind(server))
                assert.equal(res.headers['strict-transport-security'], HSTS, what);
            // Also when the server answers a request it cannot read.
            const text = await raw(server, 'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n');
            assert.ok(rawHeaders(text).some(([n, v]) => n === 'strict-transport-security' && v === HSTS));
        } finally {
            await server.stopClean();
        }
    });

    it('is off by default: plain HTTP must not pin a host to HTTPS', async () => {
        const server = await startServer();
        try {
            for (const [what, res] of await everyKind(server))
                assert.equal(res.headers['strict-transport-security'], undefined, what);
        } finally {
            await server.stopClean();
        }
    });
});

describe('limit options', () => {
    it('refuses values that are not whole numbers in range, with a message', () => {
        const cases = [
            ['--max-connections', '0'],
            ['--max-connections', 'abc'],
            ['--max-connections', '-5'],
            ['--max-connections', '12x'],
            ['--max-connections', '100001'],
            ['--max-per-client', '0'],
            ['--max-per-client', ' 3'],
            ['--timeout', '0'],
            ['--timeout', '3601'],
            ['--timeout', '1.5'],
            ['--timeout'],
            ['--threads', '0'],
            ['--threads', '65'],
        ];
        for (const args of cases) {
            const r = spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', ...args], { encoding: 'utf8', timeout: 30_000 });
            assert.equal(r.status, 1, `${args.join(' ')}: exit ${r.status}`);
            assert.match(r.stderr, new RegExp(`${args[0]} (takes|needs) a (whole )?number`), args.join(' '));
            assert.doesNotMatch(r.stdout, /serving on/);
        }
    });

    it('accepts every option together', async () => {
        const server = await startServer({
            args: ['--max-connections', '50', '--max-per-client', '10', '--timeout', '30', '--threads', '1', '--behind-tls', '--quiet', '--db', 'x.db'],
        });
        try {
            const res = await request(server, { path: '/' });
            assert.equal(res.status, 200);
        } finally {
            await server.stopClean();
        }
    });
});

describe('--threads', () => {
    // The answering threads are the only ones whose number follows the option.
    const tasks = (server) => fs.readdirSync(`/proc/${server.proc.pid}/task`).length;

    it('starts as many threads as asked to answer requests', async () => {
        const counts = [];
        for (const n of [1, 4]) {
            const server = await startServer({ args: ['--threads', String(n), '--quiet'] });
            try {
                assert.equal((await request(server, { path: '/' })).status, 200);
                counts.push(tasks(server));
            } finally {
                await server.stopClean();
            }
        }
        // With one, a single thread polls and answers; a pool of 4 takes its place.
        assert.equal(counts[1] - counts[0], 3, `threads with --threads 1 and 4: ${counts}`);
    });
});

describe('manual page', () => {
    const man = fs.readFileSync(path.join(ROOT, 'docs', 'planpack.1'), 'utf8');
    // In roff source a hyphen in an option is written "\-".
    const text = man.replace(/\\-/g, '-').replace(/\\f[BIRP]/g, '');
    const help = spawnSync(BIN, ['--help'], { encoding: 'utf8' }).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]);

    it('describes every command that --help lists', () => {
        assert.ok(commands.length >= 4, `--help lists only ${commands.join(', ')}`);
        for (const c of commands)
            assert.match(text, new RegExp(`^\\.SS ${c}\\b`, 'm'), `planpack.1 has no section for '${c}'`);
    });

    it('describes every option of every command', () => {
        for (const c of commands) {
            const usage = spawnSync(BIN, ['help', c], { encoding: 'utf8' }).stdout;
            for (const [option] of usage.matchAll(/--[a-z][a-z-]*|(?<=[\s[])-[a-z]\b/g))
                assert.ok(text.includes(option), `planpack.1 does not mention '${option}' of '${c}'`);
        }
    });

    it('is valid roff that man can format', () => {
        const r = spawnSync('man', ['--warnings', '-l', '-Tutf8', path.join(ROOT, 'docs', 'planpack.1')], { encoding: 'utf8' });
        assert.ok(!r.error, `man could not run (scripts/deps --test installs man-db): ${r.error?.message}`);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr.trim(), '', r.stderr);
    });
});
