// One person cannot flood the feedback or take every connection: answers from one client
// address are limited per minute (--answers-per-client), new answers are refused with a
// clear 503 before the database's disk is full (--min-free-disk), a class takes a generous
// multiple of its expected size, and one address may hold only a share of the connections.
// Every refusal a pupil sees is the feedback form again in the site's layout, with the quick
// exit and the pupil's answers kept.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { PG, newDb, startServer, waitFor } from './lib.mjs';
import { addStaff, answer, planpack, signIn } from './staff-lib.mjs';

let dir;

before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-floods-'));
});

after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
});

// A new database with one open class; returns [db, code].
function classDb(name, args = []) {
    const db = newDb(dir, `${name}.db`);
    const out = planpack(db, ['cohort', 'new', '--label', 'Year 9', ...args]).trim().split('\n');
    return [db, out[out.length - 1].trim()];
}

function assertPupilLayout(html, what) {
    assert.match(html, /<a id="exit" class="exit" href="[^"]+" rel="noreferrer">Quick exit<\/a>/, `${what}: quick exit`);
    assert.match(html, /<footer class="foot">/, `${what}: footer`);
}

// The form again, with the class code and the answer that answer() sends still in it.
function assertKept(html, code, what) {
    assert.match(html, new RegExp(`<input id="f-code" name="c" value="${code}"`), `${what}: the class code is kept`);
    assert.match(html, /name="q-law-end" value="yes" checked>/, `${what}: the answer is kept`);
    assert.match(html, /<div class="note" id="f-error" role="alert">/, `${what}: the reason is at the top`);
}

// POST /feedback from a chosen loopback address.
function answerFrom(server, code, localAddress) {
    return new Promise((resolve, reject) => {
        const body = `c=${code}&q-law-end=yes`;
        const req = http.request({
            host: server.hostname, port: server.port, method: 'POST', path: '/feedback', localAddress, agent: false,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
            timeout: 10_000,
        }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
        });
        req.on('timeout', () => req.destroy(new Error('no answer in 10 s')));
        req.on('error', reject);
        req.end(body);
    });
}

describe('answers from one client', () => {
    it('are limited per minute, with a page that says to wait; other addresses are not', async () => {
        const [db, code] = classDb('rate');
        const server = await startServer({ args: ['--db', db, '--answers-per-client', '5'] });
        try {
            for (let i = 0; i < 5; i++)
                assert.equal((await answer(server, code)).status, 303, `answer ${i}`);
            const res = await answer(server, code);
            assert.equal(res.status, 429);
            assert.equal(res.headers['retry-after'], '60');
            const html = res.body.toString();
            assert.match(html, /Please wait a minute/);
            assertPupilLayout(html, '429');
            assertKept(html, code, '429');
            assert.equal((await answerFrom(server, code, '127.0.0.2')).status, 303, 'another address');
            await waitFor(() => /answers from one address came faster than 5 a minute/.test(server.stderr), { what: 'the log line' });
        } finally {
            await server.stopClean();
        }
    });
});

describe('a class', () => {
    it('takes a generous multiple of its expected size, then refuses with a clear page', async () => {
        const [db, code] = classDb('full', ['--size', '2']);
        addStaff(db, 'alice');
        const server = await startServer({ args: ['--db', db] });
        try {
            for (let i = 0; i < 20; i++)
                assert.equal((await answer(server, code)).status, 303, `answer ${i}`);
            const res = await answer(server, code);
            assert.equal(res.status, 409);
            const html = res.body.toString();
            assert.match(html, /This class code has already had all the answers it can take/);
            assertPupilLayout(html, '409');
            assertKept(html, code, '409');
            assert.match(html, /<p class="error-msg" id="f-code-error"><strong>.*all the answers it can take/, '409: beside the code');
            const alice = await signIn(server, 'alice');
            const page = await alice.get('/staff/classes');
            assert.match(page.text, /<td data-label="Submissions">20 so far, of up to 20 \(2 pupils\)<br>/);
            assert.match(page.text, /Full: new submissions are refused/);
            assert.equal(planpack(db, ['report', '--format', 'csv']).trim().split('\n').length, 21, 'twenty stored');
        } finally {
            await server.stopClean();
        }
    });

    it('gets its size on the classes page, and a bad size keeps what was typed', async () => {
        const db = newDb(dir, 'sizes.db');
        addStaff(db, 'alice');
        const server = await startServer({ args: ['--db', db] });
        try {
            const alice = await signIn(server, 'alice');
            const form = await alice.get('/staff/classes');
            assert.match(form.text, /<input id="c-size" name="size" type="number" min="1" max="10000" required value="30">/);
            const bad = await alice.post('/staff/classes', { label: 'Year 8 tutor group', size: '0' });
            assert.equal(bad.status, 400);
            assert.match(bad.text, /number of pupils in the class, from 1 to 10,000/);
            assert.match(bad.text, /value="Year 8 tutor group"/);
            const made = await alice.post('/staff/classes', { label: 'Year 8 tutor group', size: '1' });
            assert.equal(made.status, 303);
            const code = /made=([A-Z2-9]{8})/.exec(made.headers.location)[1];
            for (let i = 0; i < 10; i++)
                assert.equal((await answer(server, code)).status, 303);
            assert.equal((await answer(server, code)).status, 409);
        } finally {
            await server.stopClean();
        }
    });
});

describe('a nearly full disk', { skip: PG ? 'PostgreSQL keeps its own disk' : false }, () => {
    it('refuses new answers with a clear 503 and says so in the log', async () => {
        const [db, code] = classDb('disk');
        // More free space than any disk has: the guard is on from the start.
        const server = await startServer({ args: ['--db', db, '--min-free-disk', '1000000000'] });
        try {
            const res = await answer(server, code);
            assert.equal(res.status, 503);
            const html = res.body.toString();
            assert.match(html, /short of space, so your answers were not saved/);
            assertPupilLayout(html, '503');
            assertKept(html, code, '503');
            await waitFor(() => /less than 1000000000 MiB free; new answers are refused/.test(server.stderr), { what: 'the log line' });
            assert.equal(planpack(db, ['report', '--format', 'csv']).trim().split('\n').length, 1, 'nothing stored');
        } finally {
            await server.stopClean();
        }
    });
});

describe('connections', () => {
    it('a flood from one address cannot take every slot', async () => {
        const server = await startServer({ args: ['--max-connections', '16', '--timeout', '30'] });
        const socks = [];
        try {
            // Sixteen slow clients from one address, each with half a request.
            for (let i = 0; i < 16; i++) {
                const s = net.connect({ host: server.hostname, port: server.port, localAddress: '127.0.0.1' });
                s.on('error', () => {});
                s.write('GET / HTTP/1.1\r\nHost: x\r\n');
                socks.push(s);
            }
            await new Promise((r) => setTimeout(r, 300));
            const res = await new Promise((resolve, reject) => {
                const req = http.get({ host: server.hostname, port: server.port, path: '/healthz', localAddress: '127.0.0.3', agent: false, timeout: 5_000 }, (r) => {
                    r.resume();
                    r.on('end', () => resolve(r.statusCode));
                });
                req.on('timeout', () => req.destroy(new Error('no answer in 5 s: every slot was taken')));
                req.on('error', reject);
            });
            assert.equal(res, 200);
        } finally {
            socks.forEach((s) => s.destroy());
            await server.stopClean();
        }
    });
});
