// Staff sign-in under attack: failures slow later attempts down and never lock anyone out
// (neither the staff behind one proxy address nor a named account); behind the proxy, each
// client is known by the X-Real-IP header that the proxy sets, and by nothing a client can
// choose; throttling shows in the server's log; and the argon2id hash of each attempt runs
// on threads of its own, so pupils' pages answer while sign-ins are being judged.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { newDb, request, startServer } from './lib.mjs';
import { PASSWORD, addStaff, encode } from './staff-lib.mjs';

let dir;

before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-signin-'));
});

after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
});

// A server with a database holding the accounts alice and bob (evaluators).
async function serverWith(name, args = []) {
    const db = newDb(dir, `${name}.db`);
    addStaff(db, 'alice');
    addStaff(db, 'bob');
    return startServer({ args: ['--db', db, ...args] });
}

// POST /staff/login; origin follows the server's scheme (https behind TLS).
function signIn(server, name, password, { tls = false, realIp } = {}) {
    const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        origin: `${tls ? 'https' : 'http'}://${server.hostname}:${server.port}`,
    };
    if (realIp)
        headers['x-real-ip'] = realIp;
    return request(server, { method: 'POST', path: '/staff/login', headers, body: encode({ name, password }) });
}

const ADDRESS_LINE = /staff sign-in: \d+ failed sign-ins in a row from one address/;

describe('failed sign-ins never lock anyone out', () => {
    it('ten wrong passwords from the one address everyone shares do not stop another staff member', async () => {
        // Behind a proxy that names no client, every sign-in comes from one address.
        const server = await serverWith('shared');
        try {
            for (let i = 0; i < 10; i++) {
                const res = await signIn(server, i % 2 ? 'bob' : `someone-${i}`, `wrong guess ${i}`);
                assert.equal(res.status, 401, `attempt ${i}`);
            }
            const right = await signIn(server, 'alice', PASSWORD);
            assert.equal(right.status, 303, right.body.toString());
            assert.match(right.headers['set-cookie'][0], /^__Host-planpack_session=/);
            assert.match(server.stderr, ADDRESS_LINE, 'the throttling is in the server log');
            assert.doesNotMatch(server.stderr, /127\.0\.0\.1/, 'no address in the log');
        } finally {
            await server.stopClean();
        }
    });

    it('wrong passwords for one account from five addresses do not lock its owner out', async () => {
        const server = await serverWith('account', ['--behind-tls']);
        try {
            for (let i = 1; i <= 5; i++) {
                const res = await signIn(server, 'bob', `wrong guess ${i}`, { tls: true, realIp: `192.0.2.${i}` });
                assert.equal(res.status, 401, `attempt from 192.0.2.${i}`);
            }
            const right = await signIn(server, 'bob', PASSWORD, { tls: true, realIp: '198.51.100.7' });
            assert.equal(right.status, 303, right.body.toString());
            assert.equal(right.headers.location, '/staff/');
        } finally {
            await server.stopClean();
        }
    });
});

describe('the client address behind a proxy', () => {
    // Six failures from one address start its waiting; spread over six addresses, none does.
    async function failSix(server, tls) {
        for (let i = 1; i <= 6; i++) {
            const res = await signIn(server, `nobody-${i}`, 'wrong guess', { tls, realIp: `203.0.113.${i}` });
            assert.equal(res.status, 401);
        }
    }

    it('comes from X-Real-IP when the peer is the trusted proxy', async () => {
        const server = await serverWith('proxy', ['--behind-tls']);
        try {
            await failSix(server, true);
            assert.doesNotMatch(server.stderr, ADDRESS_LINE, 'six addresses, one failure each');
        } finally {
            await server.stopClean();
        }
    });

    it('ignores X-Real-IP from a peer that is not the proxy', async () => {
        for (const args of [[], ['--behind-tls', '--trusted-proxy', '192.0.2.250']]) {
            const server = await serverWith(`direct${args.length}`, args);
            try {
                await failSix(server, args.length > 0);
                assert.match(server.stderr, ADDRESS_LINE, `${args.join(' ')}: one address failed six times`);
            } finally {
                await server.stopClean();
            }
        }
    });
});

describe('password hashing', () => {
    it('runs off the threads that serve pupils: a pupil page answers while every sign-in is pending', async () => {
        // One thread answers requests: if it hashed, the pupil page would wait behind a hash.
        const server = await serverWith('threads', ['--threads', '1']);
        try {
            const n = 6;
            let judged = 0;
            const signIns = [];
            for (let i = 0; i < n; i++)
                signIns.push(signIn(server, `someone-${i}`, 'wrong guess').then((res) => {
                    judged++;
                    return res;
                }));
            const page = await request(server, { path: '/' });
            const pendingWhenAnswered = n - judged;
            assert.equal(page.status, 200);
            assert.equal(pendingWhenAnswered, n, 'the pupil page waited for a sign-in');
            for (const res of await Promise.all(signIns))
                assert.equal(res.status, 401);
        } finally {
            await server.stopClean();
        }
    });
});
