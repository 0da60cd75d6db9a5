// A class code made under an earlier version of the package and answered after the server
// moved on to 2.0.0: each answer is stored with the version the server served (what pupils
// saw), and the Classes page tells staff which open codes were made for another version,
// with a button that closes each at once.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { newDb, startServer } from './lib.mjs';
import { addStaff, answer, makeClass, pilotPackage, signIn, sql } from './staff-lib.mjs';

let dir;
let db;
let server;
let pilotCode;
let newCode;

// The notice about codes made for another version, or '' when the page has none.
function notice(text) {
    const m = /<section class="notice" aria-labelledby="outdated">[\s\S]*?<\/section>/.exec(text);
    return m ? m[0] : '';
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-served-'));
    db = newDb(dir);
    addStaff(db, 'eva');
    addStaff(db, 'ben', 'School B');
    const pilot = await startServer({ args: ['--db', db, pilotPackage(dir)] });
    try {
        pilotCode = await makeClass(await signIn(pilot, 'eva'), 'Pilot class', 'School A');
        assert.equal((await answer(pilot, pilotCode)).status, 303);
    } finally {
        await pilot.stopClean();
    }
    // The built-in package, version 2.0.0.
    server = await startServer({ args: ['--db', db] });
    newCode = await makeClass(await signIn(server, 'eva'), 'Revised class', 'School A');
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('the version served', () => {
    it('is stored with each answer, beside the version of the class', async () => {
        assert.equal((await answer(server, pilotCode)).status, 303);
        assert.equal((await answer(server, newCode)).status, 303);
        const rows = sql(db, 'SELECT c.code, a.package_version, a.served_version FROM answers a ' +
            'JOIN cohorts c ON c.id = a.cohort_id ORDER BY a.id').split('\n');
        assert.deepEqual(rows, [
            `${pilotCode}|1.0.0|1.0.0`,
            `${pilotCode}|1.0.0|2.0.0`,
            `${newCode}|2.0.0|2.0.0`,
        ]);
    });
});

describe('the Classes page', () => {
    it('names the open codes made for another version, to the staff who see them', async () => {
        const eva = await signIn(server, 'eva');
        const res = await eva.get('/staff/classes');
        assert.equal(res.status, 200);
        const box = notice(res.text);
        assert.match(box, /<h2 id="outdated">Codes made for another version<\/h2>/);
        assert.match(box, /This server now serves version 2\.0\.0 of the package\./);
        assert.match(box, new RegExp(`<code>${pilotCode}</code> Pilot class, made for version 1\\.0\\.0 `));
        assert.ok(!box.includes(newCode), 'a code made for the version served is not named');
        const ben = await signIn(server, 'ben');
        assert.equal(notice((await ben.get('/staff/classes')).text), '', "another school's code is not shown");
    });

    it('closes such a code with one click, through the CSRF-checked form', async () => {
        const eva = await signIn(server, 'eva');
        const form = /<form method="post" action="(\/staff\/classes\/open)">([\s\S]*?)<\/form>/
            .exec(notice((await eva.get('/staff/classes')).text));
        assert.ok(form, 'the notice has a form');
        const fields = [...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
            .map((m) => [m[1], m[2]]);
        assert.deepEqual(fields.map(([k]) => k), ['csrf', 'code', 'open', 'confirm']);
        // Without the session's token nothing changes.
        const forged = await eva.post(form[1], fields.filter(([k]) => k !== 'csrf'), { token: false });
        assert.equal(forged.status, 403);
        assert.equal(sql(db, `SELECT open FROM cohorts WHERE code = '${pilotCode}'`), '1');
        // The button's own fields, as a browser sends them: one click.
        const res = await eva.post(form[1], fields, { token: false });
        assert.equal(res.status, 303, res.text);
        assert.equal(sql(db, `SELECT open FROM cohorts WHERE code = '${pilotCode}'`), '0');
        assert.equal(notice((await eva.get('/staff/classes')).text), '');
        assert.equal((await answer(server, pilotCode)).status, 410);
    });
});
