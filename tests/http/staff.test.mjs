// The staff pages: nothing under /staff/ without signing in; a sign-in form that password
// managers understand; a __Host- session cookie (HttpOnly, SameSite=Strict, Path=/, Secure
// always, as browsers refuse a __Host- cookie without it) set by /staff/ alone; Origin checked on every POST and a CSRF token on
// every staff form; sign-out ends the session on the server. Throttling of failed sign-ins is in
// staff-signin.test.mjs.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, SECURITY_HEADERS, newDb, request, startServer } from './lib.mjs';

const PASSWORD = 'correct horse battery staple';
const COOKIE = '__Host-planpack_session';

let dir;
let db;
let server;
let origin;

function planpack(args, input) {
    const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', input, timeout: 60_000 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

function form(pairs) {
    return Object.entries(pairs)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&');
}

function postForm(p, fields, headers = {}) {
    return request(server, {
        method: 'POST',
        path: p,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...headers },
        body: form(fields),
    });
}

// Signs in and returns the Cookie header value for the session.
async function signIn(name = 'alice') {
    const res = await postForm('/staff/login', { name, password: PASSWORD });
    assert.equal(res.status, 303, res.body.toString());
    assert.equal(res.headers.location, '/staff/');
    const set = res.headers['set-cookie'];
    assert.equal(set.length, 1);
    return set[0].split(';')[0];
}

function assertSecurity(res, what) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
        assert.equal(res.headers[name], value, `${what} ${name}`);
    assert.equal(res.headers['cache-control'], 'no-store', what);
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-staff-'));
    db = newDb(dir);
    planpack(['staff', 'add', 'alice'], `${PASSWORD}\n`);
    planpack(['staff', 'add', 'bob'], `${PASSWORD}\n`);
    const out = planpack(['cohort', 'new', '--label', 'Pilot']).trim().split('\n');
    const code = out[out.length - 1].trim();
    server = await startServer({ args: ['--db', db] });
    origin = `http://${server.hostname}:${server.port}`;
    for (const comment of ['<script>alert(1)</script>', 'a', 'b', 'c', 'd']) {
        const res = await request(server, {
            method: 'POST',
            path: '/feedback',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form({ c: code, 'q-law-end': 'yes', 'q-comment': comment }),
        });
        assert.equal(res.status, 303);
    }
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('staff pages without a session', () => {
    it('redirect every staff page to the sign-in form', async () => {
        for (const p of ['/staff/', '/staff', '/staff/report', '/staff/cohorts?x=1']) {
            const res = await request(server, { path: p });
            assert.equal(res.status, 303, p);
            assert.equal(res.headers.location, '/staff/login', p);
            assert.equal(res.headers['set-cookie'], undefined, p);
            assert.doesNotMatch(res.body.toString(), /alert|Pilot/, p);
        }
        const res = await postForm('/staff/logout', { csrf: 'x' });
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/login');
    });

    it('show a sign-in form that password managers understand, setting no cookie', async () => {
        const res = await request(server, { path: '/staff/login' });
        assert.equal(res.status, 200);
        assertSecurity(res, 'GET /staff/login');
        assert.equal(res.headers['set-cookie'], undefined);
        const html = res.body.toString();
        assert.match(html, /<form method="post" action="\/staff\/login">/);
        assert.match(html, /<input [^>]*name="name" autocomplete="username"/);
        assert.match(html, /<input [^>]*name="password" type="password" autocomplete="current-password"/);
        assert.doesNotMatch(html, /onpaste|maxlength/, 'pasting and long passwords work');
    });

    it('set no cookie on pupil pages', async () => {
        for (const p of ['/', '/feedback', '/plan', '/support']) {
            const res = await request(server, { path: p });
            assert.equal(res.status, 200, p);
            assert.equal(res.headers['set-cookie'], undefined, p);
        }
    });
});

describe('signing in', () => {
    it('refuses a POST without this server as its Origin', async () => {
        for (const headers of [{ origin: 'http://evil.example' }, { origin: '' }, { origin: `https://${server.hostname}:${server.port}` }]) {
            const res = await postForm('/staff/login', { name: 'alice', password: PASSWORD }, headers);
            assert.equal(res.status, 403, JSON.stringify(headers));
            assert.equal(res.headers['set-cookie'], undefined);
        }
    });

    it('refuses a wrong password with no cookie', async () => {
        const res = await postForm('/staff/login', { name: 'alice', password: 'not the password' });
        assert.equal(res.status, 401);
        assert.equal(res.headers['set-cookie'], undefined);
        assert.match(res.body.toString(), /do not match/);
    });

    it('sets a __Host- session cookie, HttpOnly, SameSite=Strict, Path=/, Secure even without TLS', async () => {
        const res = await postForm('/staff/login', { name: 'alice', password: PASSWORD });
        assert.equal(res.status, 303);
        const [set] = res.headers['set-cookie'];
        assert.match(set, new RegExp(`^${COOKIE}=[A-Za-z0-9_-]{22}; `));
        const attrs = set.split('; ').slice(1);
        assert.deepEqual(attrs.sort(), ['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure']);
    });

    it('shows the home page with a CSRF token in the sign-out form, and the report with stored text escaped', async () => {
        const cookie = await signIn();
        const home = await request(server, { path: '/staff/', headers: { cookie } });
        assert.equal(home.status, 200);
        assertSecurity(home, 'GET /staff/');
        assert.equal(home.headers['set-cookie'], undefined);
        assert.match(home.body.toString(), /Signed in as alice/);
        assert.match(home.body.toString(), /an evaluator: you see all schools/);
        const res = await request(server, { path: '/staff/report', headers: { cookie } });
        assert.equal(res.status, 200);
        assertSecurity(res, 'GET /staff/report');
        const html = res.body.toString();
        assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the comment is shown escaped');
        assert.ok(!html.includes('<script>alert(1)'), 'the comment is not markup');
        assert.match(html, /<form method="post" action="\/staff\/logout">.*name="csrf" value="[A-Za-z0-9_-]{22}"/s);
    });

    it('signs out only with the CSRF token and Origin, and ends the session on the server', async () => {
        const cookie = await signIn();
        const home = await request(server, { path: '/staff/', headers: { cookie } });
        const csrf = /name="csrf" value="([^"]+)"/.exec(home.body.toString())[1];
        const noToken = await postForm('/staff/logout', {}, { cookie });
        assert.equal(noToken.status, 403);
        const wrongToken = await postForm('/staff/logout', { csrf: 'A'.repeat(22) }, { cookie });
        assert.equal(wrongToken.status, 403);
        const foreign = await postForm('/staff/logout', { csrf }, { cookie, origin: 'http://evil.example' });
        assert.equal(foreign.status, 403);
        assert.equal((await request(server, { path: '/staff/', headers: { cookie } })).status, 200, 'still signed in');
        const out = await postForm('/staff/logout', { csrf }, { cookie });
        assert.equal(out.status, 303);
        assert.equal(out.headers.location, '/staff/login');
        assert.match(out.headers['set-cookie'][0], new RegExp(`^${COOKIE}=; .*Max-Age=0`));
        // The old cookie no longer works, even if the browser kept it.
        const again = await request(server, { path: '/staff/', headers: { cookie } });
        assert.equal(again.status, 303);
        assert.equal(again.headers.location, '/staff/login');
    });
});

describe('behind TLS', () => {
    it('marks the cookie Secure and wants an https Origin', async () => {
        const tlsDb = newDb(dir, 'tls.db');
        const add = spawnSync(BIN, ['staff', 'add', 'carol', '--db', tlsDb], { input: `${PASSWORD}\n`, encoding: 'utf8' });
        assert.equal(add.status, 0, add.stderr);
        const tls = await startServer({ args: ['--db', tlsDb, '--behind-tls'] });
        try {
            const post = (o) =>
                request(tls, {
                    method: 'POST',
                    path: '/staff/login',
                    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: o },
                    body: form({ name: 'carol', password: PASSWORD }),
                });
            assert.equal((await post(`http://${tls.hostname}:${tls.port}`)).status, 403);
            const ok = await post(`https://${tls.hostname}:${tls.port}`);
            assert.equal(ok.status, 303);
            assert.match(ok.headers['set-cookie'][0], /; Secure(;|$)/);
        } finally {
            await tls.stopClean();
        }
    });
});
