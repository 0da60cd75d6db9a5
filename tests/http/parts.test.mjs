// The survey's parts, each at its own moment: /feedback?c=CODE&part=start shows the start
// questions alone, part=end the end's with the "looking back" ones, part=later the
// follow-up's; /feedback?c=CODE (and /feedback) asks which part, as plain links. The part is
// posted with the answers, checked (a question of another part is refused, nothing stored,
// every other answer kept) and stored, and the CSV export's part column holds it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, assertSecurityHeaders, newDb, partsPackage, request, startServer } from './lib.mjs';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let dir;
let pkg;
let db;
let server;
let code; // answers are posted to it one by one
let quiet; // a class that stays without answers
let langs; // answers sent with and without a language
let foreign; // answers sent with a language the package has no pages in

function planpack(...args) {
    const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

function newCohort(label) {
    const out = planpack('cohort', 'new', '--label', label, pkg).trim().split('\n');
    return out[out.length - 1].trim();
}

function encode(pairs) {
    return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

async function get(p) {
    const res = await request(server, { path: p });
    assert.equal(res.status, 200, p);
    assertSecurityHeaders(res, p);
    assert.equal(res.headers['set-cookie'], undefined);
    assert.ok(res.body.length < 14 * 1024, `${p} is ${res.body.length} bytes`);
    return res.body.toString('utf8');
}

async function post(pairs) {
    const res = await request(server, { method: 'POST', path: '/feedback', headers: FORM, body: encode(pairs) });
    return { status: res.status, html: res.body.toString('utf8') };
}

// The ids of the questions a form asks.
function questionsIn(html) {
    return [...new Set([...html.matchAll(/<(?:input|textarea) [^>]*name="(q-[a-z0-9-]+)"/g)].map((m) => m[1]))].sort();
}

// The CSV export's rows of one class, as objects by column name.
function csvRows(classCode) {
    const lines = planpack('report', '--format', 'csv', '--k', '3').split(/\r?\n/).filter((l) => l);
    const head = lines[0].split(',');
    return lines
        .slice(1)
        .filter((l) => l.startsWith(`${classCode},`))
        .map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-parts-'));
    pkg = path.join(dir, 'pkg');
    partsPackage(pkg);
    db = newDb(dir);
    code = newCohort('Year 9 parts');
    quiet = newCohort('Year 9 quiet');
    langs = newCohort('Year 9 languages');
    foreign = newCohort('Year 9 refused language');
    server = await startServer({ args: [pkg, '--db', db] });
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('each part has a form of its own', () => {
    it('part=start shows the start questions alone, and sends its part', async () => {
        const html = await get(`/feedback?c=${code}&part=start`);
        assert.deepEqual(questionsIn(html), ['q-year']);
        assert.match(html, /<input type="hidden" name="part" value="start">/);
        assert.match(html, /<input type="hidden" name="lang" value="en-GB">/, 'the page\'s language');
        assert.match(html, new RegExp(`<input id="f-code" name="c" value="${code}"`));
        assert.match(html, /<h2>Before the lesson<\/h2>/);
    });

    it('part=end shows the end questions with the looking-back ones', async () => {
        const html = await get(`/feedback?c=${code}&part=end`);
        assert.deepEqual(questionsIn(html), ['q-before', 'q-comment', 'q-tell', 'q-useful']);
        assert.match(html, /<input type="hidden" name="part" value="end">/);
        assert.match(html, /<h2>After the lesson<\/h2>/);
    });

    it('part=later shows the follow-up questions alone', async () => {
        const html = await get(`/feedback?c=${code}&part=later`);
        assert.deepEqual(questionsIn(html), ['q-still']);
        assert.match(html, /<input type="hidden" name="part" value="later">/);
        assert.match(html, /<input id="f-pairing" name="pairing-word"/, 'the pairing word is asked again, optionally');
    });
});

describe('without a part, the page asks which', () => {
    it('links to each part with the class code, in a pupil\'s words, with no form', async () => {
        for (const p of [`/feedback?c=${code}`, `/feedback?c=${code}&part=retro`, `/feedback?c=${code}&part=x`]) {
            const html = await get(p);
            assert.doesNotMatch(html, /<form class="survey"/, p);
            assert.deepEqual(questionsIn(html), [], p);
            const links = [...html.matchAll(/<a class="button" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
            assert.deepEqual(
                links,
                [
                    [`feedback?c=${code}&amp;part=start`, 'Before the lesson'],
                    [`feedback?c=${code}&amp;part=end`, 'After the lesson'],
                    [`feedback?c=${code}&amp;part=later`, 'A few weeks later'],
                ],
                p,
            );
        }
    });

    it('asks the same at /feedback with no code, and its links open the forms', async () => {
        const html = await get('/feedback');
        assert.match(html, /<h2>When are you answering\?<\/h2>/);
        assert.match(html, /<a class="button" href="feedback\?part=start">Before the lesson<\/a>/);
        const form = await get('/feedback?part=start');
        assert.deepEqual(questionsIn(form), ['q-year']);
        assert.doesNotMatch(form, /name="c" value=/);
    });
});

describe('the part is checked and stored with the answers', () => {
    it('refuses a question of another part, keeps every other answer and stores nothing', async () => {
        const { status, html } = await post([['c', code], ['part', 'start'], ['q-year', 'y10-11'], ['q-tell', 'yes']]);
        assert.equal(status, 400);
        assert.match(html, /The question &quot;Do you know who you could tell\?&quot; is for the part &quot;After the lesson&quot;, not this one/);
        // The start form again: its part, its question with the answer kept, the code kept.
        assert.match(html, /<input type="hidden" name="part" value="start">/);
        assert.match(html, /<input type="radio" id="f-q-year-y10-11" name="q-year" value="y10-11" checked>/);
        assert.match(html, new RegExp(`name="c" value="${code}"`));
        assert.deepEqual(questionsIn(html), ['q-year']);
        assert.deepEqual(csvRows(code), []);
        assert.equal(planpack('cohort', 'list').includes(code), true);
    });

    it('refuses a part that does not exist, and stores nothing', async () => {
        const { status, html } = await post([['c', code], ['part', 'retro'], ['q-before', 's2']]);
        assert.equal(status, 400);
        assert.match(html, /names a part of the survey that does not exist/);
        assert.match(html, /<h2>When are you answering\?<\/h2>/);
    });

    it('stores each part, and an answer from a form without one as one sitting', async () => {
        const sent = [
            [['c', code], ['part', 'start'], ['q-year', 'y7-9']],
            [['c', code], ['part', 'start'], ['q-year', 'y10-11']],
            [['c', code], ['part', 'end'], ['q-before', 's2'], ['q-tell', 'yes']],
            [['c', code], ['part', 'later'], ['q-still', 'no']],
            [['c', code], ['q-year', 'y12-13'], ['q-tell', 'no']],
        ];
        for (const pairs of sent) {
            const { status, html } = await post(pairs);
            assert.equal(status, 303, html);
        }
        const rows = csvRows(code);
        assert.equal(rows.length, 5);
        const seen = rows.map((r) => `${r.part}:${r.q_year}:${r.q_tell}:${r.q_still}`).sort();
        assert.deepEqual(seen, [':y12-13:no:', 'end::yes:', 'later:::no', 'start:y10-11::', 'start:y7-9::']);
        assert.deepEqual(csvRows(quiet), []);
    });
});

describe('the language of the page is stored with the answers', () => {
    it('keeps the package\'s spelling of the page\'s language, or its own when the form sends none', async () => {
        const other = langs;
        for (const pairs of [
            [['c', other], ['part', 'start'], ['lang', 'en-GB'], ['q-year', 'y7-9']],
            [['c', other], ['part', 'start'], ['lang', 'EN-gb'], ['q-year', 'y7-9']],
            [['c', other], ['part', 'later'], ['q-still', 'yes']],
        ]) {
            const { status, html } = await post(pairs);
            assert.equal(status, 303, html);
        }
        assert.deepEqual(csvRows(other).map((r) => r.language), ['en-GB', 'en-GB', 'en-GB']);
    });

    it('refuses a language the package has no pages in, keeps the answers and stores nothing', async () => {
        const other = foreign;
        for (const lang of ['fr', 'x'.repeat(80), '']) {
            const { status, html } = await post([['c', other], ['part', 'start'], ['lang', lang], ['q-year', 'y10-11']]);
            assert.equal(status, 400, lang);
            assert.match(html, /a page in a language this site does not have/);
            assert.match(html, /<input type="radio" id="f-q-year-y10-11" name="q-year" value="y10-11" checked>/);
        }
        assert.deepEqual(csvRows(other), []);
    });
});

describe('the printed answer sheet', () => {
    it('has one part\'s questions, a numbered box per option and the class code', async () => {
        const html = await get(`/feedback/sheet?c=${code.toLowerCase()}&part=start&n=1`);
        assert.match(html, /<h1>Answer sheets: Before the lesson<\/h1>/);
        assert.match(html, /<h2 class="sheet-h">Tell us what you think: Before the lesson<\/h2>/);
        assert.match(html, new RegExp(`Class code: <strong class="code">${code}</strong>`));
        assert.equal((html.match(/<li class="sq">/g) || []).length, 1, 'the start part has one question');
        assert.match(html, /Which year are you in\?/);
        assert.doesNotMatch(html, /Do you know who you could tell/);
        const options = [...html.matchAll(/<span class="box" aria-hidden="true"><\/span> <span class="sq-opt-no">(\d)<\/span> ([^<]+)<\/li>/g)].map((m) => `${m[1]} ${m[2]}`);
        assert.deepEqual(options, ['1 Year 7 to 9', '2 Year 10 or 11', '3 Year 12 or 13', '0 Prefer not to say']);
        // Its one form, not printed, makes the sheets again for another number of pupils.
        assert.equal((html.match(/<form/g) || []).length, 1);
        assert.match(html, /<form method="get" action="sheet">/);
        const end = await get(`/feedback/sheet?c=${code}&part=end`);
        assert.equal((end.match(/<li class="sq">/g) || []).length, 4);
        assert.match(end, /<div class="sq-write"><\/div>/, 'a text question has room to write');
    });

    it('has a line for the code without one, and offers the parts without a part', async () => {
        const blank = await get('/feedback/sheet?part=later');
        assert.match(blank, /Class code: <span class="fill"><\/span>/);
        assert.match(blank, /Do you still remember your plan\?/);
        const choose = await get(`/feedback/sheet?c=${code}`);
        assert.match(choose, new RegExp(`<a class="button" href="sheet\\?c=${code}&amp;part=start">Before the lesson</a>`));
        assert.doesNotMatch(choose, /<li class="sq">/);
    });
});

