// Comparing two package versions on the staff pages: a pilot (the default package as
// piloted, 1.0.0) and the revision (2.0.0 with its change log) served in turn against one
// database, each with a class of five answers; the comparison shows both versions side by
// side with the change log beside the figures, for the evaluator and for a school's staff.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, newDb, startServer } from './lib.mjs';
import { addStaff, answer, makeClass, pilotPackage, planpack, revisedPackage, signIn } from './staff-lib.mjs';

const CHANGE = 'Shorter story steps, because pupils said the story was too long';

let dir;
let db;
let server;

// Serves a package, makes a class of School A on the page and sends it five answers.
async function pilot(args, label) {
    const s = await startServer({ args: ['--db', db, ...args] });
    const anna = await signIn(s, 'anna');
    const code = await makeClass(anna, label);
    for (let i = 0; i < 5; i++)
        assert.equal((await answer(s, code, { 'q-comment': `${label} ${i}` })).status, 303);
    return s;
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-staff-compare-'));
    db = newDb(dir);
    addStaff(db, 'anna', 'School A');
    addStaff(db, 'eva');
    const first = await pilot([pilotPackage(dir)], 'Pilot class');
    await first.stopClean();
    server = await pilot([revisedPackage(dir, CHANGE)], 'Revised class');
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('the comparison page', () => {
    it('offers the stored versions to choose from', async () => {
        const eva = await signIn(server, 'eva');
        const res = await eva.get('/staff/compare');
        assert.equal(res.status, 200);
        assert.match(res.text, /<label for="v-a">Earlier version[^<]*<\/label>\n<select id="v-a" name="a">\n<option value="1\.0\.0" selected>1\.0\.0<\/option>\n<option value="2\.0\.0">/);
        assert.match(res.text, /<select id="v-b" name="b">\n<option value="1\.0\.0">1\.0\.0<\/option>\n<option value="2\.0\.0" selected>/);
        assert.ok(res.text.includes(CHANGE), 'the change log is shown before a choice is made');
    });

    for (const name of ['eva', 'anna']) {
        it(`shows both versions side by side with the change log, for ${name}`, async () => {
            const who = await signIn(server, name);
            const res = await who.get('/staff/compare?a=1.0.0&b=2.0.0');
            assert.equal(res.status, 200, res.text);
            assert.match(res.text, /<h2>Version 1\.0\.0 and version 2\.0\.0 side by side<\/h2>/);
            // Counts and shares in columns of their own, and a chart of both versions.
            assert.match(res.text, /<th scope="col">Answer<\/th><th scope="col">1\.0\.0: submissions<\/th><th scope="col">1\.0\.0: share<\/th><th scope="col">2\.0\.0: submissions<\/th><th scope="col">2\.0\.0: share<\/th>/);
            assert.match(res.text, /<section class="compare" id="compare">\n<details open>/);
            assert.match(res.text, /<title id="chart-1">Bar chart of the shares of each answer in version 1\.0\.0 and version 2\.0\.0 for: /);
            // Each chart downloads as an SVG file of its own.
            const href = /<a href="(\/staff\/report\/chart\?[^"]*group=compare[^"]*)" download>SVG<\/a>/.exec(res.text);
            assert.ok(href, 'no download link for the comparison chart');
            const svg = await who.get(href[1].replaceAll('&amp;', '&'));
            assert.equal(svg.status, 200, svg.text);
            assert.match(svg.headers['content-type'], /^image\/svg\+xml/);
            assert.match(svg.headers['content-disposition'], /^attachment; filename="planpack-chart-q-[a-z-]+\.svg"$/);
            assert.match(svg.text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg /);
            assert.match(svg.text, /<text class="value a"/);
            // The change log: in the aside and in the comparison, each with what changed in 2.0.0.
            const aside = /<aside class="change-log"[\s\S]*?<\/aside>/.exec(res.text)[0];
            assert.match(aside, /<h3>Version 2\.0\.0 \(2026-12-06\) <span class="compared">compared here<\/span><\/h3>\n<ul class="changes">\n<li>Shorter story steps/);
            assert.match(aside, /<h3>Version 1\.0\.0 \(2026-11-28\) <span class="compared">/);
            assert.match(aside, /First edition/);
            assert.match(res.text, /<h3 class="changes">What changed in 2\.0\.0 \(2026-12-06\)<\/h3>\n<ul class="changes">\n<li>Shorter story steps/);
        });
    }

    it('keeps the change log in view when the versions are given the other way round', async () => {
        const eva = await signIn(server, 'eva');
        const res = await eva.get('/staff/compare?a=2.0.0&b=1.0.0');
        assert.equal(res.status, 200);
        assert.match(res.text, /<h2>Version 2\.0\.0 and version 1\.0\.0 side by side<\/h2>/);
        assert.ok(/<aside class="change-log"[\s\S]*?<\/aside>/.exec(res.text)[0].includes(CHANGE));
    });

    it('answers 404 for a version that is not stored and 400 for the same version twice', async () => {
        const eva = await signIn(server, 'eva');
        assert.equal((await eva.get('/staff/compare?a=1.0.0&b=9.9.9')).status, 404);
        const same = await eva.get('/staff/compare?a=1.0.0&b=1.0.0');
        assert.equal(same.status, 400);
        assert.match(same.text, /role="alert">Choose two different versions/);
    });
});

describe('the pilot report page', () => {
    it('shows the pilot and the revision side by side, in the six parts of an evaluation', async () => {
        const eva = await signIn(server, 'eva');
        const res = await eva.get('/staff/report/pilot?version=1.0.0&compare=2.0.0');
        assert.equal(res.status, 200, res.text);
        const parts = [...res.text.matchAll(/<h2 id="([a-z]+)">\d\. /g)].map((m) => m[1]);
        assert.deepEqual(parts, ['aims', 'method', 'participants', 'results', 'limitations', 'changes']);
        assert.match(res.text, /The pilot, version 1\.0\.0, and the revision, version 2\.0\.0, side by side\./);
        // Each version's classes and submissions; the revision's change log; pupils' comments.
        assert.match(res.text, /<h3>the pilot \(version 1\.0\.0\)<\/h3>\n<p><strong>5 submissions<\/strong> from 1 class in 1 school\. No class was held back\./);
        assert.match(res.text, /<th scope="row">[A-Z0-9]+: Pilot class<\/th>/);
        const changes = res.text.slice(res.text.indexOf('<h2 id="changes">'));
        assert.match(changes, /<h3 class="changes">What changed in 2\.0\.0 \(2026-12-06\)<\/h3>\n<ul class="changes">\n<li>Shorter story steps/);
        assert.doesNotMatch(changes, /First edition/);
        assert.match(res.text, /<blockquote>Revised class 0<\/blockquote>/);
        // Its form keeps the choice; the page has no script and no inline style.
        assert.match(res.text, /<select id="p-compare" name="compare">\n<option value="">None: this version alone<\/option>\n<option value="2\.0\.0" selected>/);
        assert.doesNotMatch(res.text, /<script|<style| style="/);
    });

    it('shows one version alone, the newest by default', async () => {
        const eva = await signIn(server, 'eva');
        const res = await eva.get('/staff/report/pilot');
        assert.equal(res.status, 200, res.text);
        assert.match(res.text, /<p class="meta">Package version 2\.0\.0\. /);
        assert.doesNotMatch(res.text, /Pilot class/);
        const one = await eva.get('/staff/report/pilot?version=1.0.0');
        assert.match(one.text, /<p class="meta">Package version 1\.0\.0\. /);
        assert.match(one.text, /<h3 class="changes">What changed in 1\.0\.0 \(2026-11-28\)<\/h3>\n<ul class="changes">\n<li>First edition/);
    });

    it('is for evaluators: linked from their report page, refused to a school\'s staff', async () => {
        const eva = await signIn(server, 'eva');
        assert.match((await eva.get('/staff/report')).text, /<a href="\/staff\/report\/pilot">The pilot report<\/a>/);
        assert.match((await eva.get('/staff/compare?a=1.0.0&b=2.0.0')).text,
            /<a href="\/staff\/report\/pilot\?version=1\.0\.0&amp;compare=2\.0\.0">/);
        assert.equal((await eva.get('/staff/report/pilot?version=9.9.9')).status, 404);
        const anna = await signIn(server, 'anna');
        assert.doesNotMatch((await anna.get('/staff/report')).text, /\/staff\/report\/pilot/);
        const refused = await anna.get('/staff/report/pilot?version=1.0.0');
        assert.equal(refused.status, 403);
        assert.doesNotMatch(refused.text, /Pilot class|Revised class/);
    });

    it('is written by planpack report --format pilot, a page of its own with its print layout', () => {
        const html = planpack(db, ['report', '--format', 'pilot', '--compare', '1.0.0,2.0.0']);
        assert.match(html, /^<!doctype html>\n<html lang="en-GB">/);
        assert.match(html, /@media print\{@page\{size:A4/);
        assert.match(html, /<h1>Pilot report<\/h1>\n<p class="meta">The pilot, version 1\.0\.0, and the revision, version 2\.0\.0, side by side\./);
        assert.equal([...html.matchAll(/<section class="pilot-part/g)].length, 6);
        const one = planpack(db, ['report', '--format', 'pilot', '--package-version', '1.0.0']);
        assert.match(one, /<p class="meta">Package version 1\.0\.0\. /);
        assert.doesNotMatch(one, /Revised class/);
        // Options that do not fit the pilot report are refused, with nothing written.
        for (const args of [['--package-version', '1.0.0'], ['--format', 'pilot', '--cohort', 'ABCD2345'],
            ['--format', 'pilot', '--package-version', '9.9.9']]) {
            const r = spawnSync(BIN, ['report', ...args, '--db', db], { encoding: 'utf8', timeout: 60_000 });
            assert.notEqual(r.status, 0, args.join(' '));
            assert.equal(r.stdout, '');
        }
    });
});
