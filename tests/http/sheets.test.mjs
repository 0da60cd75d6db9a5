// Paper answer sheets: the start part's printed sheets each carry their own pairing word
// (on the sheet and on a slip the pupil keeps), the end part's a box to write it in; staff
// type the sheets in at /staff/sheets, one at a time, with the numbers printed beside the
// boxes. Each sheet is stored as an online answer is, with the same checks: a refused sheet
// stores nothing and comes back as typed; staff of another school are refused; the sheets'
// answers, parts and pairs appear in the reports.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { newDb, request, startServer } from './lib.mjs';
import { addStaff, makeClass, planpack, signIn } from './staff-lib.mjs';

let dir;
let db;
let server;
let anna; // staff of School A, who types in the sheets
let ben; // staff of School B
let code; // anna's class
let words; // the pairing words printed on the start sheets

// The CSV export's rows of the class, as objects by column name.
function csvRows() {
    const lines = planpack(db, ['report', '--format', 'csv', '--k', '3']).split(/\r?\n/).filter((l) => l);
    const head = lines[0].split(',');
    return lines
        .slice(1)
        .filter((l) => l.startsWith(`${code},`))
        .map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
}

// The names of the fields of the entry form, in order.
function fieldsIn(html) {
    return [...html.matchAll(/<(?:input|textarea) id="s-[^"]*" name="([^"]+)"/g)].map((m) => m[1]);
}

// Types one sheet in: fields by question id (the number typed) and the pairing word.
function sheet(who, part, answers, word, extra = []) {
    const fields = [['class', code], ['part', part], ['entered', '0'], ...extra];
    if (word !== undefined)
        fields.push(['pairing-word', word]);
    for (const [q, v] of Object.entries(answers))
        fields.push([`a-${q}`, v]);
    return who.post('/staff/sheets', fields);
}

// Types in a sheet that must be stored, and follows the page back to the empty form.
async function stored(part, answers, word, extra) {
    const res = await sheet(anna, part, answers, word, extra);
    assert.equal(res.status, 303, res.text);
    assert.match(res.headers.location, new RegExp(`^/staff/sheets\\?class=${code}&part=${part}&entered=1$`));
    return res;
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-sheets-'));
    db = newDb(dir);
    addStaff(db, 'anna', 'School A');
    addStaff(db, 'ben', 'School B');
    server = await startServer({ args: ['--db', db] });
    anna = await signIn(server, 'anna');
    ben = await signIn(server, 'ben');
    code = await makeClass(anna, 'Year 9 PSHE, paper');
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('the printed sheets', () => {
    it('prints each start sheet with its own pairing word, twice: on the sheet and on its slip', async () => {
        const res = await request(server, { path: `/feedback/sheet?c=${code}&part=start&n=6` });
        assert.equal(res.status, 200);
        const html = res.body.toString('utf8');
        assert.equal((html.match(/<section class="sheet-page">/g) || []).length, 6);
        words = [...html.matchAll(/<p class="sheet-word">Pairing word: <strong>([a-z]+ [a-z]+)<\/strong><\/p>/g)].map((m) => m[1]);
        assert.equal(words.length, 6);
        assert.equal(new Set(words).size, 6, `words ${words}`);
        const slips = [...html.matchAll(/<div class="slip">[^]*?<p class="big-words">([a-z]+ [a-z]+)<\/p>/g)].map((m) => m[1]);
        assert.deepEqual(slips, words);
        assert.match(html, /Tear off this slip and keep it/);
        // Each sheet has its own words: another printing has others.
        const again = (await request(server, { path: `/feedback/sheet?c=${code}&part=start&n=6` })).body.toString('utf8');
        assert.notDeepEqual([...again.matchAll(/Pairing word: <strong>([a-z ]+)</g)].map((m) => m[1]), words);
    });

    it('gives the end sheet a box for the word, and the later sheet none', async () => {
        const end = (await request(server, { path: `/feedback/sheet?c=${code}&part=end` })).body.toString('utf8');
        assert.equal((end.match(/<section class="sheet-page">/g) || []).length, 1);
        assert.match(end, /<p class="sheet-word">Your pairing word, if you have it \(from the slip you kept\): <span class="fill"><\/span><\/p>/);
        assert.doesNotMatch(end, /class="slip"/);
    });
});

describe('typing sheets in', () => {
    it('shows the part\'s questions with the numbers the sheet prints, the word first and focused', async () => {
        const res = await anna.get(`/staff/sheets?class=${code}&part=start`);
        assert.equal(res.status, 200);
        const fields = fieldsIn(res.text);
        assert.deepEqual(fields, [
            'pairing-word', 'a-q-sure-start', 'a-q-tell-start', 'a-q-shared-start',
            'a-q-law-start', 'a-q-age-start', 'a-q-remove-start',
        ]);
        assert.match(res.text, /<input id="s-pairing" name="pairing-word"[^>]* autofocus value="">/);
        assert.equal((res.text.match(/ autofocus/g) || []).length, 1);
        // The numbers beside the boxes, as the printed sheet has them.
        const paper = (await request(server, { path: `/feedback/sheet?c=${code}&part=start&n=1` })).body.toString('utf8');
        const printed = [...paper.matchAll(/<span class="sq-opt-no">(\d)<\/span> ([^<]+)<\/li>/g)].map((m) => `${m[1]} ${m[2]}`);
        const hint = /<p class="hint" id="s-q-law-start-hint">([^]*?)<\/p>/.exec(res.text)[1];
        const typed = [...hint.matchAll(/<b>(\d)<\/b> ([^<·]+?)(?: ·|$)/g)].map((m) => `${m[1]} ${m[2]}`);
        assert.deepEqual(typed, ['1 Yes', '2 No', '3 Not sure', '0 Prefer not to say']);
        for (const t of typed)
            assert.ok(printed.includes(t), `the sheet prints ${t}`);
    });

    it('stores start sheets, with the word printed on each, and counts them', async () => {
        const answers = [
            { 'q-sure-start': '2', 'q-law-start': '1' },
            { 'q-sure-start': '3', 'q-law-start': '2', 'q-age-start': '0' },
            { 'q-sure-start': '1', 'q-remove-start': '3' },
            { 'q-sure-start': '4', 'q-tell-start': ' 5 ' },
            { 'q-sure-start': '2' },
        ];
        for (const [i, a] of answers.entries()) {
            const res = await sheet(anna, 'start', a, i === 1 ? words[i].toUpperCase() : words[i]);
            assert.equal(res.status, 303, res.text);
        }
        const back = await anna.get(`/staff/sheets?class=${code}&part=start&entered=5`);
        assert.equal(back.status, 200);
        assert.match(back.text, new RegExp(`<p class="notice" role="status">5 sheets entered for class <code>${code}</code>, start part\\.</p>`));
        assert.match(back.text, /Stored for this part so far, online and from paper: 5\./);
        const rows = csvRows();
        assert.equal(rows.length, 5);
        assert.deepEqual(rows.map((r) => r.part), ['start', 'start', 'start', 'start', 'start']);
        assert.deepEqual(rows.map((r) => r.q_sure_start).sort(), ['start-1', 'start-2', 'start-2', 'start-3', 'start-4']);
        assert.deepEqual(rows.map((r) => r.q_law_start).sort(), ['', '', '', 'no', 'yes']);
        assert.deepEqual(rows.map((r) => r.q_age_start).sort(), ['', '', '', '', 'prefer-not-to-say']);
    });

    it('refuses a sheet with a problem, stores nothing and keeps what was typed', async () => {
        const cases = [
            [{ 'q-sure-start': '7' }, words[5], /This question has no box 7: its boxes are 1 to 5/, 's-q-sure-start'],
            [{ 'q-sure-start': 'x' }, words[5], /Type the number beside each ticked box \(1 to 5/, 's-q-sure-start'],
            [{ 'q-sure-start': '2 4' }, words[5], /./, 's-q-sure-start'], // two boxes: the survey's own check
            [{ 'q-sure-start': '2' }, 'green ottar', /That is not a word the sheets print/, 's-pairing'],
            [{}, words[5], /Nothing is typed in for this sheet/, null],
            // A sheet typed in twice would count twice: its word says so.
            [{ 'q-sure-start': '2' }, words[0], /A sheet with this pairing word is already stored for this part/, 's-pairing'],
        ];
        for (const [answers, word, message, field] of cases) {
            const res = await sheet(anna, 'start', answers, word);
            assert.equal(res.status, 400, JSON.stringify(answers));
            assert.match(res.text, /Nothing was stored from this sheet/);
            assert.match(res.text, message);
            if (field) {
                assert.match(res.text, new RegExp(`<input id="${field}"[^>]* aria-invalid="true"[^>]* autofocus`));
                for (const [q, v] of Object.entries(answers))
                    assert.match(res.text, new RegExp(`<input id="s-${q}" name="a-${q}"[^>]* value="${v}">`));
                assert.match(res.text, new RegExp(`name="pairing-word"[^>]* value="${word}">`));
            }
        }
        assert.equal(csvRows().length, 5);
    });

    it('stores end sheets with the words the pupils wrote, as typed', async () => {
        const res = await anna.get(`/staff/sheets?class=${code}&part=end`);
        assert.equal(res.status, 200);
        assert.match(res.text, /<input id="s-pairing" name="pairing-word"/);
        assert.match(res.text, /<textarea id="s-q-comment" name="a-q-comment"/);
        const typed = [
            [words[0], { 'q-sure-end': '4', 'q-helpful': '1 3' }],
            [words[1].toUpperCase(), { 'q-sure-end': '5', 'q-helpful': '2,3' }],
            [words[2].slice(0, -1), { 'q-sure-end': '3', 'q-comment': 'It was good' }], // a letter missing
            [words[3], { 'q-sure-end': '4' }],
            ['', { 'q-sure-end': '1' }],
        ];
        for (const [word, answers] of typed)
            await stored('end', answers, word);
        // The same word again: refused as maybe the same sheet, until staff say it is another
        // pupil's; then both count, and pair with neither.
        const again = await sheet(anna, 'end', { 'q-sure-end': '2' }, words[3]);
        assert.equal(again.status, 400);
        assert.match(again.text, /<input type="checkbox" id="s-again" name="again" value="yes">/);
        await stored('end', { 'q-sure-end': '2' }, words[3], [['again', 'yes']]);
        const rows = csvRows().filter((r) => r.part === 'end');
        assert.equal(rows.length, 6);
        assert.deepEqual(rows.map((r) => r.q_sure_end).sort(), ['end-1', 'end-2', 'end-3', 'end-4', 'end-4', 'end-5']);
        assert.ok(rows.some((r) => r.q_comment === 'It was good'));
    });

    it('pairs them as online answers pair, and the word leaves nothing', async () => {
        const text = planpack(db, ['report', '--k', '3']);
        assert.match(text, /Pairing words: 3 pairs\. 60% of the 5 start answers and 50% of the 6 end answers were paired/);
        const numbers = csvRows().map((r) => r.pairing);
        assert.equal(numbers.filter((n) => n).length, 6, `pairing numbers ${numbers}`);
        const csv = planpack(db, ['report', '--format', 'csv', '--k', '3']);
        for (const w of words)
            assert.equal(csv.includes(w), false);
    });

    it('counts the sheets in the staff report like online answers', async () => {
        const res = await anna.get(`/staff/report?class=${code}`);
        assert.equal(res.status, 200);
        assert.match(res.text, /<strong>11 submissions<\/strong>|Submissions: 11\b/);
        assert.match(res.text, /at the start/);
    });
});

describe('who may type sheets in', () => {
    it('refuses staff of another school, and stores nothing', async () => {
        assert.equal((await ben.get(`/staff/sheets?class=${code}&part=start`)).status, 404);
        assert.equal((await ben.get(`/staff/sheets?class=${code}`)).status, 404);
        const res = await sheet(ben, 'start', { 'q-sure-start': '2' }, words[5]);
        assert.equal(res.status, 404);
        const list = await ben.get('/staff/sheets');
        assert.equal(list.status, 200);
        assert.equal(list.text.includes(code), false);
        assert.equal(csvRows().length, 11);
    });

    it('refuses a sheet without the form\'s token, and one for a closed class', async () => {
        const res = await anna.post('/staff/sheets', [['class', code], ['part', 'start'], ['a-q-sure-start', '2']], { token: false });
        assert.equal(res.status, 403);
        const close = await anna.post('/staff/classes/open', { code, open: '0', confirm: 'yes' });
        assert.equal(close.status, 303);
        const closed = await sheet(anna, 'start', { 'q-sure-start': '2' }, words[5]);
        assert.equal(closed.status, 410);
        assert.match(closed.text, /This class&#39;s feedback is closed|This class's feedback is closed/);
        assert.match(closed.text, /value="2">/);
        assert.equal(csvRows().length, 11);
    });
});
