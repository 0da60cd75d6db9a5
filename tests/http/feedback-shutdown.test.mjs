// SIGTERM while pupils' answers are being stored: answers wait for their commit in the
// store's queue with their connections suspended, and a stopping server must finish them
// all. Every answer that got its thank-you page is stored exactly once, every post
// that reached the server is answered, and the server exits 0.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { BIN, newDb, startServer } from './lib.mjs';

function planpack(db, ...args) {
    const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

describe('SIGTERM while answers are being stored', () => {
    it('stores every acknowledged answer once, answers every post, and exits 0', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-shutdown-'));
        const db = newDb(dir);
        // Thousands of answers from one address to one class: the limits on a class's
        // answers and on each address's (tests/http/floods.test.mjs) are off here.
        const out = planpack(db, 'cohort', 'new', '--label', 'Shutdown', '--size', '0').trim().split('\n');
        const code = out[out.length - 1].trim();
        const server = await startServer({ args: ['--db', db, '--quiet', '--answers-per-client', '0'] });
        const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
        const acknowledged = [];
        const refused = []; // posts the server answered with anything but the thank-you page
        let notStarted = 0; // posts that got no answer at all, after the signal
        const lost = []; // posts that got no answer at all, before the signal
        let stopping = false;

        const post = (tag) =>
            new Promise((resolve) => {
                const body = `c=${code}&q-comment=${tag}`;
                const req = http.request(
                    {
                        host: '127.0.0.1',
                        port: server.port,
                        path: '/feedback',
                        method: 'POST',
                        agent,
                        headers: {
                            'content-type': 'application/x-www-form-urlencoded',
                            'content-length': Buffer.byteLength(body),
                        },
                    },
                    (res) => {
                        let text = '';
                        res.setEncoding('utf8');
                        res.on('data', (d) => (text += d));
                        res.on('error', () => {});
                        res.on('end', () => {
                            if (res.statusCode === 303 && res.headers.location === 'feedback/sent')
                                acknowledged.push(tag);
                            else
                                refused.push(`${tag}: ${res.statusCode}`);
                            resolve();
                        });
                    },
                );
                // No answer: allowed only once the server has been told to stop.
                req.on('error', (e) => {
                    if (stopping)
                        notStarted++;
                    else
                        lost.push(`${tag}: ${e.message}`);
                    resolve();
                });
                req.end(body);
            });

        const workers = [];
        for (let w = 0; w < 32; w++) {
            workers.push(
                (async () => {
                    for (let n = 0; n < 100000 && !(stopping && notStarted > 0); n++)
                        await post(`answer${w}x${n}`);
                })(),
            );
        }
        // The signal comes once answers are flowing: on a busy machine the first twenty may
        // take longer than on a quiet one, so wait for them (within a bound), not for a time.
        const flowing = Date.now() + 20_000;
        while (acknowledged.length <= 20 && lost.length === 0 && Date.now() < flowing)
            await sleep(50);
        const beforeSignal = acknowledged.length;
        server.proc.kill('SIGTERM');
        stopping = true;
        await Promise.race([Promise.all(workers), sleep(20000)]);
        agent.destroy();
        const { code: status, signal } = await server.stop();

        assert.ok(beforeSignal > 20, `only ${beforeSignal} answers were stored before the signal`);
        assert.deepEqual(refused, [], 'posts that were answered with something else');
        assert.deepEqual(lost, [], 'posts that got no answer while the server was running');
        assert.equal(signal, null);
        assert.equal(status, 0, server.stderr);
        assert.doesNotMatch(server.stderr, /ERROR: (Address|Leak)Sanitizer|runtime error:/);

        // Every acknowledged answer is in the store, once.
        const rows = planpack(db, 'report', '--format', 'csv', '--k', '3').split(/\r?\n/);
        const stored = new Map();
        for (const line of rows) {
            const tag = /answer\d+x\d+/.exec(line)?.[0];
            if (tag)
                stored.set(tag, (stored.get(tag) || 0) + 1);
        }
        for (const tag of acknowledged)
            assert.equal(stored.get(tag), 1, `acknowledged answer ${tag} stored ${stored.get(tag) || 0} times`);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
