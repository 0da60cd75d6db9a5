// Staff accounts after they are made: `planpack staff list|passwd|remove|sessions --end`,
// and the accounts page, where an evaluator manages every account and school staff only
// change their own password. A new password, a removal or "sign out everywhere" ends the
// account's sessions on the server.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, newDb, request, startServer } from './lib.mjs';
import { PASSWORD, addStaff, encode, originOf, planpack, signIn } from './staff-lib.mjs';

const NEW_PASSWORD = 'a brand new pass phrase';

let dir;

before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-accounts-'));
});

after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
});

function login(server, name, password) {
    return request(server, {
        method: 'POST',
        path: '/staff/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: originOf(server) },
        body: encode({ name, password }),
    });
}

// Whether a session cookie still opens the staff home page.
async function signedIn(server, who) {
    const res = await request(server, { path: '/staff/', headers: { cookie: who.cookie } });
    return res.status === 200;
}

describe('planpack staff on the command line', () => {
    it('lists accounts, sets a password that ends the sessions, ends sessions, removes', async () => {
        const db = newDb(dir, 'cli.db');
        addStaff(db, 'alice');
        addStaff(db, 'bob', 'Hill School');
        const list = planpack(db, ['staff', 'list']);
        assert.match(list, /^alice +0 +\(evaluator: every school\)$/m);
        assert.match(list, /^bob +0 +Hill School$/m);

        let server = await startServer({ args: ['--db', db] });
        const bob = await signIn(server, 'bob');
        const alice = await signIn(server, 'alice');
        await server.stopClean();
        assert.match(planpack(db, ['staff', 'list']), /^bob +1 +Hill School$/m);
        assert.match(planpack(db, ['staff', 'passwd', 'bob'], `${NEW_PASSWORD}\n`), /changed the password of 'bob'/);
        assert.match(planpack(db, ['staff', 'sessions', '--end', 'alice']), /ended 1 session of 'alice'/);
        server = await startServer({ args: ['--db', db] });
        try {
            assert.equal(await signedIn(server, bob), false, 'a new password ends the sessions');
            assert.equal(await signedIn(server, alice), false, 'sessions --end ends them');
            assert.equal((await login(server, 'bob', PASSWORD)).status, 401);
            assert.equal((await login(server, 'bob', NEW_PASSWORD)).status, 303);
        } finally {
            await server.stopClean();
        }
        assert.match(planpack(db, ['staff', 'remove', 'bob']), /removed the account 'bob'/);
        assert.doesNotMatch(planpack(db, ['staff', 'list']), /^bob/m);
        const again = spawnSync(BIN, ['staff', 'remove', 'bob', '--db', db], { encoding: 'utf8' });
        assert.equal(again.status, 1);
        assert.match(again.stderr, /no account named 'bob'/);
        const weak = spawnSync(BIN, ['staff', 'passwd', 'alice', '--db', db], { encoding: 'utf8', input: 'short\n' });
        assert.equal(weak.status, 1);
        assert.match(weak.stderr, /too short/);
    });

    it('refuses the most common and trivial passwords, with a clear message', () => {
        const db = newDb(dir, 'common.db');
        for (const password of ['aaaaaaaaaaaa', 'password1234', 'Qwerty123456', '123456789012']) {
            const r = spawnSync(BIN, ['staff', 'add', 'erin', '--db', db], { encoding: 'utf8', input: `${password}\n` });
            assert.equal(r.status, 1, password);
            assert.match(r.stderr, /one of the most common or easily guessed ones/, password);
        }
        addStaff(db, 'erin');
        const r = spawnSync(BIN, ['staff', 'passwd', 'erin', '--db', db], { encoding: 'utf8', input: 'password1234\n' });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /most common/);
    });
});

describe('the accounts page', () => {
    let db;
    let server;
    before(async () => {
        db = newDb(dir, 'pages.db');
        addStaff(db, 'alice');
        addStaff(db, 'bob');
        addStaff(db, 'carol', 'Hill School');
        addStaff(db, 'dan', 'Hill School');
        server = await startServer({ args: ['--db', db] });
    });
    after(async () => {
        if (server)
            await server.stopClean();
    });

    it('lets an evaluator sign an account out, set its password and remove it', async () => {
        const alice = await signIn(server, 'alice');
        const page = await alice.get('/staff/accounts');
        assert.equal(page.status, 200);
        for (const name of ['alice', 'bob', 'carol', 'dan'])
            assert.match(page.text, new RegExp(`<th scope="row">${name}`));

        const bob = await signIn(server, 'bob');
        let res = await alice.post('/staff/accounts/end', { name: 'bob' });
        assert.equal(res.status, 303);
        assert.equal(await signedIn(server, bob), false);

        const bob2 = await signIn(server, 'bob');
        res = await alice.post('/staff/accounts/passwd', { name: 'bob', password: 'short' });
        assert.equal(res.status, 400);
        assert.match(res.text, /too short/);
        res = await alice.post('/staff/accounts/passwd', { name: 'bob', password: 'aaaaaaaaaaaa' });
        assert.equal(res.status, 400);
        assert.match(res.text, /most common or easily guessed/);
        assert.equal(await signedIn(server, bob2), true, 'a refused password changes nothing');
        res = await alice.post('/staff/accounts/passwd', { name: 'bob', password: NEW_PASSWORD });
        assert.equal(res.status, 303, res.text);
        assert.equal(await signedIn(server, bob2), false);
        assert.equal((await login(server, 'bob', NEW_PASSWORD)).status, 303);

        res = await alice.post('/staff/accounts/remove', { name: 'alice' });
        assert.equal(res.status, 400, 'not one\'s own account');
        res = await alice.post('/staff/accounts/remove', { name: 'bob' });
        assert.equal(res.status, 303);
        assert.equal((await login(server, 'bob', NEW_PASSWORD)).status, 401);
        assert.doesNotMatch((await alice.get('/staff/accounts')).text, /<th scope="row">bob/);
        // Without the form's CSRF token nothing changes.
        res = await alice.post('/staff/accounts/remove', { name: 'dan' }, { token: false });
        assert.equal(res.status, 403);
    });

    it('lets school staff change only their own password', async () => {
        const carol = await signIn(server, 'carol');
        const dan = await signIn(server, 'dan');
        const page = await carol.get('/staff/accounts');
        assert.equal(page.status, 200);
        assert.match(page.text, /<th scope="row">carol/);
        assert.doesNotMatch(page.text, /<th scope="row">(alice|dan)/);
        for (const [p, fields] of [
            ['/staff/accounts/remove', { name: 'dan' }],
            ['/staff/accounts/end', { name: 'dan' }],
            ['/staff/accounts/passwd', { name: 'dan', password: NEW_PASSWORD }],
        ]) {
            const res = await carol.post(p, fields);
            assert.equal(res.status, 403, p);
        }
        assert.equal(await signedIn(server, dan), true);
        const res = await carol.post('/staff/accounts/passwd', { name: 'carol', password: NEW_PASSWORD });
        assert.equal(res.status, 303);
        assert.equal(await signedIn(server, carol), false, 'the new password signs out here too');
        assert.equal((await login(server, 'carol', NEW_PASSWORD)).status, 303);
    });
});
