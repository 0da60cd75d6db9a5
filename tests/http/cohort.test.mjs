// `planpack cohort list`: every class code, oldest first, with its state, day, package,
// school and label, read while `planpack serve` has the database open; --school narrows
// it; no label or school holds a control character to send to a terminal; bad use
// changes nothing.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, newDb, startServer } from './lib.mjs';

let dir;
let db;
let server;
const made = {}; // label -> code
const days = new Set(); // the local days the codes may have been made on

// The local day, as planpack keeps days (YYYY-MM-DD).
function localDay(d = new Date()) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function run(...args) {
    return spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', timeout: 60_000 });
}

function planpack(...args) {
    const r = run(...args);
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

// The rows of a listing, each split on runs of two or more spaces, without the header.
function rows(out) {
    const lines = out.split('\n').filter((l) => l);
    assert.match(lines[0], /^CODE +STATE +CREATED +PACKAGE +SCHOOL +LABEL$/);
    return lines.slice(1).map((l) => l.split(/ {2,}/));
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-cohort-'));
    db = newDb(dir);
    days.add(localDay());
    for (const [label, school] of [['Year 9 PSHE', 'Oak Hill Academy'],
        ['Year 10 tutor group', null], ['Year 8, Mr Ng', 'Ysgol Glan-y-Môr']]) {
        const code = planpack('cohort', 'new', '--label', label, ...(school ? ['--school', school] : []))
            .trim();
        assert.match(code, /^[A-Z2-9]{8}$/);
        made[label] = code;
    }
    planpack('cohort', 'close', made['Year 10 tutor group']);
    days.add(localDay());
    server = await startServer({ args: ['--db', db] });
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('planpack cohort list', () => {
    it('lists every code, oldest first, while the server has the database open', () => {
        const got = rows(planpack('cohort', 'list'));
        assert.deepEqual(got.map((r) => r[0]), Object.values(made));
        for (const r of got)
            assert.ok(days.has(r[2]), `made on ${r[2]}, not on ${[...days].join(' or ')}`);
        assert.deepEqual(got[0], [made['Year 9 PSHE'], 'open', got[0][2], 'default 2.0.0',
            'Oak Hill Academy', 'Year 9 PSHE']);
        assert.deepEqual(got[1], [made['Year 10 tutor group'], 'closed', got[1][2], 'default 2.0.0',
            '-', 'Year 10 tutor group']);
        assert.equal(got[2][4], 'Ysgol Glan-y-Môr');
    });

    it('lines the columns up, counting characters, not bytes', () => {
        const lines = planpack('cohort', 'list').split('\n').filter((l) => l);
        // Where the last column (the label) starts, in characters.
        const labelAt = (l) => [...l].length - [...l.split(/ {2,}/).pop()].length;
        assert.equal(lines.length, 4);
        assert.equal(new Set(lines.map(labelAt)).size, 1,
            `the labels start in different columns:\n${lines.join('\n')}`);
    });

    it('never has a control character to show: cohort new refuses one in a label or school', () => {
        // A database of its own, which no server holds (with SQLite, serve keeps out writers).
        const other = newDb(dir, 'other.db');
        const cli = (...args) => spawnSync(BIN, [...args, '--db', other], { encoding: 'utf8', timeout: 60_000 });
        for (const [label, school] of [['9X \u001b[31mred', null], ['9X \u009b label', null],
            ['9X', 'Oak\u0007 Hill'], ['9X\tPSHE', null]]) {
            const r = cli('cohort', 'new', '--label', label, ...(school ? ['--school', school] : []));
            assert.equal(r.status, 1, `the label ${JSON.stringify(label)} was taken`);
            assert.equal(r.stdout, '');
            assert.match(r.stderr, /without control characters/);
        }
        const r = cli('cohort', 'list');
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /no class codes yet/);
    });

    it('narrows the list to one school with --school', () => {
        const got = rows(planpack('cohort', 'list', '--school', 'Oak Hill Academy'));
        assert.deepEqual(got.map((r) => r[0]), [made['Year 9 PSHE']]);
    });

    it('says so when a school has no codes, and lists nothing', () => {
        const r = run('cohort', 'list', '--school', 'No Such School');
        assert.equal(r.status, 0);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /no class codes of No Such School yet/);
    });

    it('refuses an unknown option with exit 1 and a pointer to the help', () => {
        const r = run('cohort', 'list', '--label', 'x');
        assert.equal(r.status, 1);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /unexpected '--label'[\s\S]*planpack help cohort/);
    });
});
