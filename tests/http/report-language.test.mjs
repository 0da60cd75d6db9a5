// A survey answered in Welsh is counted with the English answers: pupils of one class answer
// the same questions on /feedback and on /cy/feedback (the Welsh form posts its language),
// and `planpack report` counts the class as one, with a section for the answers in each
// language. The k rule holds for a class's answers in each language as for the class: a
// language with fewer than k of a class's answers is held back from every figure (the
// class's, its language's, all submissions' and the CSV's rows), and the report says so.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, newDb, request, startServer } from './lib.mjs';

let dir;
let db;
let server;
let both; // 5 answers in English, 5 in Welsh: all shown
let small; // 1 answer in Welsh: held back
let mostly; // 6 answers in English, 2 in Welsh: the 2 held back

function planpack(...args) {
    const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

function newCohort(label) {
    const out = planpack('cohort', 'new', '--label', label).trim().split('\n');
    return out[out.length - 1].trim();
}

// The end part's form for a class at path (/feedback or /cy/feedback): where it posts, its
// hidden fields, and a first answer to each of its one-answer questions.
async function form(at, code) {
    const res = await request(server, { path: `${at}?c=${code}&part=end` });
    assert.equal(res.status, 200, at);
    const page = res.body.toString('utf8');
    const f = /<form class="survey" method="post" action="([^"]*)"/.exec(page);
    assert.ok(f, `${at} has a survey form`);
    const html = page.slice(f.index, page.indexOf('</form>', f.index));
    const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
        .map((m) => [m[1], m[2]]);
    const seen = new Set();
    for (const m of html.matchAll(/<input [^>]*type="radio" [^>]*name="([^"]+)" [^>]*value="([^"]+)"/g)) {
        if (!seen.has(m[1])) {
            seen.add(m[1]);
            fields.push([m[1], m[2]]);
        }
    }
    assert.ok(seen.size > 0, `${at} asks questions`);
    return { action: new URL(f[1], `http://x${at}`).pathname, fields: [['c', code], ...fields] };
}

async function answer(at, code, n) {
    const { action, fields } = await form(at, code);
    const body = fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    for (let i = 0; i < n; i++) {
        const res = await request(server, {
            method: 'POST',
            path: action,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
        });
        const alert = /role="alert">([\s\S]*?)<\/div>/.exec(res.body.toString('utf8'));
        assert.equal(res.status, 303, `${action} ${body}: ${alert ? alert[1] : res.status}`);
    }
    return fields;
}

// The lines of a text report's section that starts with "--- heading".
function section(report, heading) {
    const at = report.indexOf(`\n--- ${heading}`);
    assert.notEqual(at, -1, `the report has a section "${heading}":\n${report}`);
    const end = report.indexOf('\n--- ', at + 1);
    return report.slice(at + 1, end < 0 ? undefined : end);
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-report-language-'));
    db = newDb(dir);
    both = newCohort('Year 8 both');
    small = newCohort('Year 8 small');
    mostly = newCohort('Year 8 mostly');
    server = await startServer({ args: ['--db', db] });
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('a survey answered in Welsh and in English', () => {
    it('posts the page\'s language from each form', async () => {
        const en = await answer('/feedback', both, 5);
        const cy = await answer('/cy/feedback', both, 5);
        assert.deepEqual(en.filter(([k]) => k === 'lang'), [['lang', 'en-GB']]);
        assert.deepEqual(cy.filter(([k]) => k === 'lang'), [['lang', 'cy']]);
        // The same questions and answers, by id, whatever the language.
        assert.deepEqual(en.filter(([k]) => k !== 'lang'), cy.filter(([k]) => k !== 'lang'));
    });

    it('counts a class\'s answers in both together, and each language apart', () => {
        const report = planpack('report', '--format', 'text');
        assert.match(section(report, `Class ${both}`), /answered in Cymraeg \(cy\) and English \(en-GB\)[^\n]*Submissions: 10\./s);
        assert.match(report, /\n=== By language\n/);
        assert.match(section(report, 'Answers in Cymraeg (cy)'), /^ {4}Submissions: 5\.$/m);
        assert.match(section(report, 'Answers in English (en-GB)'), /^ {4}Submissions: 5\.$/m);
        assert.match(report, /^10 submissions from /m);
        const html = planpack('report', '--format', 'html');
        assert.match(html, /<h2 id="by-language">By language<\/h2>/);
        assert.match(html, /<h3>Answers in Cymraeg \(cy\)<\/h3>\n<span class="meta">Submissions: 5\.<\/span>/);
    });

    it('holds back a class\'s answers in a language with fewer than k, from every figure', async () => {
        await answer('/cy/feedback', small, 1);
        await answer('/feedback', mostly, 6);
        await answer('/cy/feedback', mostly, 2);
        const report = planpack('report', '--format', 'text');
        assert.match(section(report, `Class ${small}`), /Not shown yet: this class has fewer than 5 submissions/);
        assert.match(section(report, `Class ${mostly}`), /Submissions: 6, and 2 not shown yet/);
        assert.match(section(report, 'Answers in Cymraeg (cy)'),
            /^ {4}Submissions: 5, and 3 not shown yet from 2 classes with fewer than 5\.$/m);
        assert.match(section(report, 'Answers in English (en-GB)'), /^ {4}Submissions: 11\.$/m);
        assert.match(report, /^16 submissions from 2 classes [^\n]*\nNot shown yet: 3 submissions from 2 classes with fewer than 5\.\n/m);
        assert.match(report, /Of those not shown yet, 2 are from classes that are shown: submissions under a package version or in a language of which a class has fewer than 5/);
        // The data files leave out the rows held back: the class's 6 English answers only.
        const csv = planpack('report', '--format', 'csv').split(/\r?\n/).filter((l) => l);
        const head = csv[0].split(',');
        const rows = csv.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
        assert.equal(rows.filter((r) => r.class_code === small).length, 0);
        assert.deepEqual(rows.filter((r) => r.class_code === mostly).map((r) => r.language), Array(6).fill('en-GB'));
        assert.equal(rows.filter((r) => r.language === 'cy').length, 5);
    });
});
