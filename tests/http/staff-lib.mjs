// Helpers for the staff pages' HTTP tests: planpack commands against a test database,
// signing in, GET and POST with the session cookie, the CSRF token and this server's
// Origin, and moving a session's clock back in the database (SQLite file or PostgreSQL URL).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { BIN, ROOT, request } from './lib.mjs';

export const PASSWORD = 'correct horse battery staple';
const FORM = 'application/x-www-form-urlencoded';

// Runs `planpack ARGS --db DB` and returns its standard output; fails the test on an error.
export function planpack(db, args, input) {
    const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', input, timeout: 60_000 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

// Adds a staff account: of school, or an evaluator when school is null.
export function addStaff(db, name, school = null) {
    planpack(db, ['staff', 'add', name, ...(school ? ['--school', school] : [])], `${PASSWORD}\n`);
}

export function encode(pairs) {
    if (!Array.isArray(pairs))
        pairs = Object.entries(pairs);
    return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export function originOf(server) {
    return `http://${server.hostname}:${server.port}`;
}

/*
 * A signed-in staff member: get(path) and post(path, fields) send the session cookie, and
 * post adds the CSRF token of the session and this server's Origin unless told otherwise.
 */
export async function signIn(server, name) {
    const login = await request(server, {
        method: 'POST',
        path: '/staff/login',
        headers: { 'content-type': FORM, origin: originOf(server) },
        body: encode({ name, password: PASSWORD }),
    });
    assert.equal(login.status, 303, `sign-in of ${name}: ${login.body}`);
    const cookie = login.headers['set-cookie'][0].split(';')[0];
    const home = await request(server, { path: '/staff/', headers: { cookie } });
    assert.equal(home.status, 200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(home.body.toString())[1];
    const who = {
        name,
        cookie,
        csrf,
        async get(p) {
            const res = await request(server, { path: p, headers: { cookie } });
            res.text = res.body.toString();
            return res;
        },
        async post(p, fields, { token = true, origin = originOf(server) } = {}) {
            const pairs = Array.isArray(fields) ? [...fields] : Object.entries(fields);
            if (token)
                pairs.push(['csrf', csrf]);
            const headers = { 'content-type': FORM, cookie };
            if (origin !== null)
                headers.origin = origin;
            const res = await request(server, { method: 'POST', path: p, headers, body: encode(pairs) });
            res.text = res.body.toString();
            return res;
        },
    };
    return who;
}

// Makes a class code on the classes page and returns it.
export async function makeClass(who, label, school) {
    const fields = { label };
    if (school !== undefined)
        fields.school = school;
    const res = await who.post('/staff/classes', fields);
    assert.equal(res.status, 303, res.text);
    const m = /^\/staff\/classes\?made=([A-Z2-9]{8})$/.exec(res.headers.location);
    assert.ok(m, `redirected to ${res.headers.location}`);
    return m[1];
}

// Posts one pupil's answer to /feedback; resolves with the response.
export function answer(server, code, fields = {}) {
    return request(server, {
        method: 'POST',
        path: '/feedback',
        headers: { 'content-type': FORM },
        body: encode({ c: code, 'q-law-end': 'yes', ...fields }),
    });
}

/*
 * Runs one SQL statement on the test database while the server runs: through the sqlite3
 * command for a file, through psql for a postgres:// URL.
 */
export function sql(db, statement) {
    const pg = /^postgres(ql)?:\/\//.test(db);
    const r = pg
        ? spawnSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', statement], { encoding: 'utf8' })
        : spawnSync('sqlite3', ['-cmd', '.timeout 10000', db, statement], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${pg ? 'psql' : 'sqlite3'}: ${r.stderr}`);
    return r.stdout.trim();
}

// The default package as it was piloted: a copy in dir/pilot at version 1.0.0, without the
// change-log entries of later versions. The default package itself is the revision (2.0.0).
export function pilotPackage(dir) {
    const pkg = path.join(dir, 'pilot');
    fs.cpSync(path.join(ROOT, 'packages', 'default'), pkg, { recursive: true });
    const yaml = path.join(pkg, 'package.yaml');
    const text = fs.readFileSync(yaml, 'utf8');
    assert.match(text, /^version: 2\.0\.0$/m);
    assert.match(text, /^ {2}- version: 2\.0\.0\n[^]*?^ {2}- version: 1\.0\.0$/m);
    fs.writeFileSync(yaml, text
        .replace(/^version: 2\.0\.0$/m, 'version: 1.0.0')
        .replace(/^ {2}- version: 2\.0\.0\n[^]*?^(?= {2}- version: 1\.0\.0$)/m, ''));
    return pkg;
}

// A copy of the default package (version 2.0.0) in dir/revised with `change` added first to
// its 2.0.0 change-log entry: the revised package of a pilot-and-revise comparison.
export function revisedPackage(dir, change) {
    const pkg = path.join(dir, 'revised');
    fs.cpSync(path.join(ROOT, 'packages', 'default'), pkg, { recursive: true });
    const yaml = path.join(pkg, 'package.yaml');
    const text = fs.readFileSync(yaml, 'utf8');
    assert.match(text, /^version: 2\.0\.0$/m);
    const entry = /^ {2}- version: 2\.0\.0\n {4}date: .*\n {4}items:\n/m;
    assert.match(text, entry);
    fs.writeFileSync(yaml, text.replace(entry, (m) => `${m}      - "${change}"\n`));
    return pkg;
}
