// Comments that may be a disclosure: found with the package's word list (whole words, any
// case, any accents), shown first to the staff of the class's school with the class and the
// day only, named on the home page for those sent since the account last looked at them (the
// last 14 days before it first has), and found again after a lead edits the list. The
// pupil's comment box says nobody reads it straight away and where to go.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { newDb, request, ROOT, startServer } from './lib.mjs';
import { addStaff, answer, makeClass, signIn, sql } from './staff-lib.mjs';

const DISCLOSURE = 'call me ... i have something to tell about what happened to me';
let dir;
let db;
let server;
let anna; // staff of School A
let ben; // staff of School B
let eva; // an evaluator
let classA; // School A: a disclosure, a cry for help, ordinary comments
let quietA; // School A: ordinary comments only
let classB; // School B: one answer, a request from an adult

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-staff-flags-'));
    db = newDb(dir);
    addStaff(db, 'anna', 'School A');
    addStaff(db, 'ben', 'School B');
    addStaff(db, 'eva');
    addStaff(db, 'cara', 'School A');
    server = await startServer({ args: ['--db', db] });
    anna = await signIn(server, 'anna');
    ben = await signIn(server, 'ben');
    eva = await signIn(server, 'eva');
    classA = await makeClass(anna, 'Year 9 PSHE, A');
    quietA = await makeClass(anna, 'Year 10 PSHE, A');
    classB = await makeClass(ben, 'Year 8 tutor group, B');
    const sent = [
        [classA, DISCLOSURE],
        [classA, 'I think about SUICIDE sometimes'],
        [classA, 'The story was good and I liked the funny replies'],
        [classA, 'Something to tellurium'], // not a whole word
        [quietA, 'It was fine'],
        [quietA, 'I would tell my mum'],
        [classB, 'an older man keeps asking me for pics, what do i do'],
    ];
    for (const [code, text] of sent)
        assert.equal((await answer(server, code, { 'q-comment': text })).status, 303, text);
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('comments to read first', () => {
    it('lists a school\'s flagged comments, with class and day, and none of another school', async () => {
        const res = await anna.get('/staff/comments');
        assert.equal(res.status, 200);
        const page = res.text;
        const today = new Date();
        // The server's local day, as the store counts days.
        const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
        assert.match(page, new RegExp(`<section id="c-${classA}" class="flagged-class">\\n<h2>Year 9 PSHE, A \\(<code>${classA}</code>, School A\\)</h2>`));
        assert.match(page, new RegExp(`<strong>${day}</strong>: call me \\.\\.\\. i have something to tell about what happened to me`));
        assert.match(page, /I think about SUICIDE sometimes<\/p><p class="hint">Holds “suicid\*”/);
        assert.doesNotMatch(page, /funny replies|tellurium|It was fine|tell my mum/);
        assert.doesNotMatch(page, /older man|School B|Year 8/);
        assert.doesNotMatch(page, new RegExp(quietA));
        // The day only: no time of day anywhere in the page.
        assert.doesNotMatch(page, /\b\d{1,2}:\d{2}\b/);
        const b = await ben.get('/staff/comments');
        assert.match(b.text, /an older man keeps asking me for pics, what do i do/);
        assert.doesNotMatch(b.text, /something to tell|SUICIDE/);
    });

    it('are counted in their class\'s row on the Classes page, linking to them', async () => {
        const page = (await anna.get('/staff/classes')).text;
        assert.match(page, new RegExp(`<code>${classA}</code></th>[^\\n]*<td data-label="Submissions">4 so far, of up to 300 \\(30 pupils\\)<br><a class="warning" href="/staff/comments#c-${classA}"><strong>2 comments to read first</strong></a></td>`));
        assert.match(page, new RegExp(`<code>${quietA}</code></th>[^\\n]*<td data-label="Submissions">2 so far, of up to 300 \\(30 pupils\\)</td>`));
    });

    it('shows a class under 5 answers too, since acting on a disclosure comes first', async () => {
        const res = await eva.get('/staff/comments');
        assert.match(res.text, new RegExp(`id="c-${classB}"`));
        assert.match(res.text, new RegExp(`id="c-${classA}"`));
    });

    it('names the classes with one on the home page, linking to them', async () => {
        const a = await anna.get('/staff/');
        assert.match(a.text, /<h2 id="flagged-h">Comments to read first<\/h2>/);
        // Anna has looked at them today: the home page counts from today on.
        assert.match(a.text, /<strong>1 class<\/strong> has comments since you last looked at them \(on \d{4}-\d\d-\d\d: those sent that day are counted too\) that may be a disclosure/);
        assert.match(a.text, new RegExp(`<li><a href="/staff/comments#c-${classA}">Year 9 PSHE, A \\(<code>${classA}</code>, School A\\)</a></li>`));
        assert.doesNotMatch(a.text, new RegExp(`${quietA}|${classB}`));
        const e = await eva.get('/staff/');
        assert.match(e.text, /<strong>2 classes<\/strong> have comments/);
        assert.match(e.text, new RegExp(`#c-${classB}"`));
    });

    it('tells an account that has never looked of the last 14 days, then of what came since it looked', async () => {
        const cara = await signIn(server, 'cara');
        const first = (await cara.get('/staff/')).text;
        assert.match(first, /<strong>1 class<\/strong> has comments from the last 14 days that may be a disclosure/);
        assert.match(first, new RegExp(`#c-${classA}"`));
        assert.match((await cara.get('/staff/comments')).text, /I think about SUICIDE sometimes/);
        // What Cara saw is dated yesterday now; she looked today, so it is not new to her
        // (the 14 days would still hold it) ...
        sql(db, `UPDATE answers SET day = day - 1 WHERE cohort_id = (SELECT id FROM cohorts WHERE code = '${classA}')`);
        const after = (await cara.get('/staff/')).text;
        assert.doesNotMatch(after, /flagged-h/);
        assert.match(after, /No comment since you last looked at them \(on \d{4}-\d\d-\d\d: those sent that day are counted too\) holds words that may signal a disclosure/);
        // ... while a comment sent since is.
        assert.equal((await answer(server, quietA, { 'q-comment': 'i have something to tell' })).status, 303);
        const next = (await cara.get('/staff/')).text;
        assert.match(next, /<strong>1 class<\/strong> has comments since you last looked/);
        assert.match(next, new RegExp(`#c-${quietA}"`));
        assert.doesNotMatch(next, new RegExp(`#c-${classA}"`));
    });

    it('leaves older comments off the home page but on the comments page', async () => {
        sql(db, `UPDATE answers SET day = day - 20 WHERE cohort_id = (SELECT id FROM cohorts WHERE code = '${classB}')`);
        const b = await ben.get('/staff/');
        assert.doesNotMatch(b.text, /flagged-h/);
        // Ben has looked at them (today), so the 14 days are not what he is told of.
        assert.match(b.text, /No comment since you last looked at them \(on [-\d]+: those sent that day are counted too\) holds words that may signal a disclosure/);
        assert.match((await ben.get('/staff/comments')).text, /older man keeps asking me/);
    });
});

describe('a list a lead has edited', () => {
    let pkgDir;
    let edited;
    let leadDb;
    before(async () => {
        pkgDir = path.join(dir, 'edited');
        fs.cpSync(path.join(ROOT, 'packages', 'default'), pkgDir, { recursive: true });
        fs.writeFileSync(path.join(pkgDir, 'safeguarding.yaml'),
            'disclosure_words:\n  en:\n    - purple elephant\n  cy:\n    - brifo fy hun\n');
        leadDb = newDb(dir, 'edited.db');
        addStaff(leadDb, 'lead', 'School C');
        edited = await startServer({ args: [pkgDir, '--db', leadDb] });
    });
    after(async () => {
        if (edited)
            await edited.stopClean();
    });

    it('flags the lead\'s words, in any language of the list, and no longer the old ones', async () => {
        const lead = await signIn(edited, 'lead');
        const code = await makeClass(lead, 'Year 7, C');
        for (const text of ['A PURPLE Eléphant came', 'Dw i\u2019n brifo fy hun', DISCLOSURE])
            assert.equal((await answer(edited, code, { 'q-comment': text })).status, 303);
        const page = (await lead.get('/staff/comments')).text;
        assert.match(page, /A PURPLE Elé|A PURPLE El&#233;/);
        assert.match(page, /brifo fy hun/);
        assert.doesNotMatch(page, /something to tell/);
    });
});

describe('the comment box', () => {
    it('says nobody reads it straight away, and where to get help now', async () => {
        // The comment box is asked after the lesson, in the end part's form.
        const res = await request(server, { path: '/feedback?part=end' });
        const page = res.body.toString();
        assert.match(page, /Nobody reads these answers straight away/);
        assert.match(page, /Childline/);
        assert.match(page, /0800 1111/);
        assert.match(page, /adult you trust/);
        // The comment box itself says so, where a pupil writes.
        const legend = /<legend>([^<]*)<\/legend>\n<label class="vh" for="f-q-comment">/.exec(page);
        assert.ok(legend, 'no comment box');
        assert.match(legend[1], /Nobody reads this quickly/);
        assert.match(legend[1], /adult you trust or call Childline free on 0800 1111/);
    });
});

describe('the staff report', () => {
    let shown; // School A: 5 answers, so shown
    before(async () => {
        shown = await makeClass(anna, 'Year 11 PSHE, A');
        const sent = ['A good lesson', 'Better than last week', 'Fine', 'Useful',
            'zz i need to talk to someone'];
        for (const text of sent)
            assert.equal((await answer(server, shown, { 'q-comment': text })).status, 303, text);
    });

    it('lists a shown class\'s flagged comment first, marked, with its class; none of a class held back', async () => {
        const res = await anna.get(`/staff/report?class=${shown}`);
        assert.equal(res.status, 200);
        assert.match(res.text, new RegExp('<ul class="comments">\\n<li class="flagged"><strong>May be a disclosure: read and act at class level</strong> '
            + `\\(class ${shown}\\) zz i need to talk to someone</li>\\n<li>A good lesson</li>`));
        // Class A has 4 answers: held back, so none of its comments, flagged or not.
        const all = (await anna.get('/staff/report')).text;
        assert.match(all, /zz i need to talk to someone/);
        assert.doesNotMatch(all, /something to tell|SUICIDE/);
    });
});
