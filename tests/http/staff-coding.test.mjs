// Coding what pupils wrote: the evaluators' list of themes (/staff/themes), and the coding
// page (/staff/coding) where staff give comments and focus groups themes and a package page,
// one POST for the whole page, under the staff pages' CSRF rule and school scoping.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { newDb, startServer } from './lib.mjs';
import { addStaff, answer, makeClass, signIn } from './staff-lib.mjs';

let dir;
let server;
let anna; // staff of School A
let ben; // staff of School B
let eva; // an evaluator
let classA;
let smallA; // fewer than 5 answers: not listed yet
let classB;
const themeId = {};

// The comments and focus groups of a coding page: the text shown, to the key of its fields.
function keysOf(page) {
    const keys = {};
    const re = /<div id="x-([cf][0-9a-f]+)">.*?<blockquote><p>([^<]*)<\/p><\/blockquote>/gs;
    for (const m of page.matchAll(re))
        keys[m[2]] = m[1];
    return keys;
}

function valueOf(page, key) {
    const m = new RegExp(`name="t-${key}"[^>]* value="([^"]*)"`).exec(page);
    return m && m[1];
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-staff-coding-'));
    const db = newDb(dir);
    addStaff(db, 'anna', 'School A');
    addStaff(db, 'ben', 'School B');
    addStaff(db, 'eva');
    server = await startServer({ args: ['--db', db] });
    anna = await signIn(server, 'anna');
    ben = await signIn(server, 'ben');
    eva = await signIn(server, 'eva');
    classA = await makeClass(anna, 'Year 9 PSHE, A');
    smallA = await makeClass(anna, 'Year 10 PSHE, A');
    classB = await makeClass(ben, 'Year 8 tutor group, B');
    const sent = [];
    for (let i = 0; i < 5; i++) {
        sent.push([classA, `Alpha comment ${i}: the story was ${i < 3 ? 'too long' : 'good'}${i === 0 ? ', mail me at pupil@example.org' : ''}`]);
        sent.push([classB, `Bravo comment ${i}: I would tell my mum`]);
    }
    sent.push([smallA, 'Small class comment'], [smallA, 'Another small class comment']);
    for (const [code, text] of sent)
        assert.equal((await answer(server, code, { 'q-comment': text })).status, 303, text);
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('the list of themes', () => {
    it('is kept by evaluators: add, with a description, and no two of one name', async () => {
        let res = await eva.post('/staff/themes', { name: 'Too long', description: 'The lesson or story felt long' });
        assert.equal(res.status, 303, res.text);
        assert.equal(res.headers.location, '/staff/themes');
        assert.equal((await eva.post('/staff/themes', { name: 'Trust' })).status, 303);
        assert.equal((await eva.post('/staff/themes', { name: 'Old idea' })).status, 303);
        res = await eva.post('/staff/themes', { name: 'Trust', description: 'again' });
        assert.equal(res.status, 409);
        assert.match(res.text, /Another theme has that name/);
        res = await eva.post('/staff/themes', { name: '' });
        assert.equal(res.status, 400);
        const page = (await eva.get('/staff/themes')).text;
        for (const m of page.matchAll(/<tr><td>(\d+)<\/td><td>([^<]+)<\/td>/g))
            themeId[m[2]] = m[1];
        assert.deepEqual(Object.keys(themeId).sort(), ['Old idea', 'Too long', 'Trust']);
        assert.match(page, /<td>Too long<\/td><td>The lesson or story felt long<\/td><td>yes<\/td>/);
    });

    it('refuses a form without the session\'s CSRF token, and changes nothing', async () => {
        const res = await eva.post('/staff/themes', { name: 'Sneaky' }, { token: false });
        assert.equal(res.status, 403);
        assert.doesNotMatch((await eva.get('/staff/themes')).text, /Sneaky/);
    });

    it('is read, not changed, by school staff', async () => {
        const res = await anna.post('/staff/themes', { name: 'From a school' });
        assert.equal(res.status, 403);
        const edit = await anna.post('/staff/themes/edit', { id: themeId.Trust, name: 'Renamed by a school' });
        assert.equal(edit.status, 403);
        const page = (await anna.get('/staff/themes')).text;
        assert.match(page, /<td>Trust<\/td>/);
        assert.doesNotMatch(page, /From a school|Renamed by a school|<form method="post" action="\/staff\/themes/);
        assert.match(page, /An evaluator keeps this list/);
    });

    it('renames a theme and describes it again', async () => {
        const res = await eva.post('/staff/themes/edit', { id: themeId.Trust, name: 'Trusted adults', description: 'Who they would tell' });
        assert.equal(res.status, 303);
        const page = (await eva.get('/staff/themes')).text;
        assert.match(page, new RegExp(`<tr><td>${themeId.Trust}</td><td>Trusted adults</td><td>Who they would tell</td><td>yes</td>`));
        const clash = await eva.post('/staff/themes/edit', { id: themeId.Trust, name: 'Too long' });
        assert.equal(clash.status, 409);
        const none = await eva.post('/staff/themes/edit', { id: '999999', name: 'Nothing' });
        assert.equal(none.status, 404);
    });
});

describe('coding comments', () => {
    it('lists a school\'s comments of classes with 5 answers or more, none of another school', async () => {
        const res = await anna.get('/staff/coding');
        assert.equal(res.status, 200);
        const keys = keysOf(res.text);
        const texts = Object.keys(keys);
        assert.equal(texts.filter((t) => t.startsWith('Alpha comment')).length, 5);
        assert.equal(texts.filter((t) => /Bravo|Small class/.test(t)).length, 0);
        assert.doesNotMatch(res.text, /Bravo comment|School B|Small class comment/);
        assert.match(res.text, /1 class has fewer than 5 submissions and is not listed yet/);
        // Named by a keyed hash, never the row number.
        for (const k of Object.values(keys))
            assert.match(k, /^c[0-9a-f]{20}$/);
        // The theme key, with the numbers to type.
        assert.match(res.text, new RegExp(`<li><strong>${themeId['Too long']}</strong> Too long: The lesson or story felt long</li>`));
        // Another school's class is not found.
        assert.equal((await anna.get(`/staff/coding?class=${classB}`)).status, 404);
        const b = await ben.get('/staff/coding');
        assert.match(b.text, /Bravo comment 0/);
        assert.doesNotMatch(b.text, /Alpha comment/);
    });

    it('saves a whole page with one POST: themes by number and the page it is about', async () => {
        const page = (await anna.get('/staff/coding')).text;
        const keys = keysOf(page);
        const long = Object.keys(keys).filter((t) => /too long/.test(t));
        const fields = [];
        for (const t of long) {
            fields.push([`t-${keys[t]}`, `${themeId['Too long']}, ${themeId.Trust}`]);
            fields.push([`p-${keys[t]}`, 'story']);
        }
        const res = await anna.post('/staff/coding', fields);
        assert.equal(res.status, 303, res.text);
        assert.equal(res.headers.location, '/staff/coding?saved=1');
        const after = (await anna.get('/staff/coding?saved=1')).text;
        assert.match(after, /The codes were saved/);
        const lo = Math.min(themeId['Too long'], themeId.Trust);
        const hi = Math.max(themeId['Too long'], themeId.Trust);
        for (const t of long) {
            assert.equal(valueOf(after, keys[t]), `${lo} ${hi}`);
            assert.match(after, new RegExp(`<select id="p-${keys[t]}" name="p-${keys[t]}"><option value="">No one page</option>(<option value="[^"]*">[^<]*</option>)*<option value="story" selected>`));
        }
        const good = Object.keys(keys).find((t) => /good/.test(t));
        assert.equal(valueOf(after, keys[good]), '');
        // An evaluator sees the same codes.
        const e = (await eva.get(`/staff/coding?class=${classA}`)).text;
        assert.equal(valueOf(e, keysOf(e)[long[0]]), `${lo} ${hi}`);
    });

    it('refuses the form without the CSRF token, saving nothing', async () => {
        const page = (await anna.get('/staff/coding')).text;
        const keys = keysOf(page);
        const good = Object.keys(keys).find((t) => /good/.test(t));
        const res = await anna.post('/staff/coding', [[`t-${keys[good]}`, themeId.Trust]], { token: false });
        assert.equal(res.status, 403);
        assert.equal(valueOf((await anna.get('/staff/coding')).text, keys[good]), '');
    });

    it('saves nothing when one field is wrong, and says which', async () => {
        const page = (await anna.get('/staff/coding')).text;
        const keys = keysOf(page);
        const good = Object.keys(keys).filter((t) => /good/.test(t));
        const res = await anna.post('/staff/coding', [
            [`t-${keys[good[0]]}`, themeId.Trust],
            [`t-${keys[good[1]]}`, '12345'],
        ]);
        assert.equal(res.status, 400);
        assert.match(res.text, /12345 is not the number of a theme in use/);
        assert.match(res.text, /Nothing was saved/);
        // What was typed is kept in the form.
        assert.equal(valueOf(res.text, keys[good[1]]), '12345');
        assert.equal(valueOf((await anna.get('/staff/coding')).text, keys[good[0]]), '');
    });

    it('lets no school code another school\'s comments', async () => {
        const bpage = (await ben.get('/staff/coding')).text;
        const bkeys = keysOf(bpage);
        const bravo = Object.keys(bkeys)[0];
        assert.match(bravo, /^Bravo comment/);
        // Anna sends Ben's comment's name: it is not one of hers, and nothing changes.
        const res = await anna.post('/staff/coding', [[`t-${bkeys[bravo]}`, themeId.Trust]]);
        assert.equal(res.status, 303);
        assert.equal(valueOf((await ben.get('/staff/coding')).text, bkeys[bravo]), '');
        assert.equal(valueOf((await eva.get('/staff/coding')).text, bkeys[bravo]), '');
        // Nor through another school's class.
        const to = await anna.post(`/staff/coding?class=${classB}`, [[`t-${bkeys[bravo]}`, themeId.Trust]]);
        assert.equal(to.status, 404);
    });

    it('keeps a retired theme\'s codes and offers it no more', async () => {
        const page = (await anna.get('/staff/coding')).text;
        const keys = keysOf(page);
        const good = Object.keys(keys).find((t) => /good/.test(t));
        assert.equal((await anna.post('/staff/coding', [[`t-${keys[good]}`, themeId['Old idea']]])).status, 303);
        assert.equal((await eva.post('/staff/themes/edit', { id: themeId['Old idea'], name: 'Old idea', retired: '1' })).status, 303);
        const now = (await anna.get('/staff/coding')).text;
        assert.doesNotMatch(now, new RegExp(`<li><strong>${themeId['Old idea']}</strong>`));
        assert.equal(valueOf(now, keys[good]), '');
        assert.match(now, /Coded: Old idea \(retired, kept\)/);
        // Saving the page again keeps it; typing it is refused.
        assert.equal((await anna.post('/staff/coding', [[`t-${keys[good]}`, themeId.Trust]])).status, 303);
        assert.match((await anna.get('/staff/coding')).text, /Coded: (Old idea \(retired, kept\); Trusted adults|Trusted adults; Old idea \(retired, kept\))/);
        const res = await anna.post('/staff/coding', [[`t-${keys[good]}`, themeId['Old idea']]]);
        assert.equal(res.status, 400);
    });
});

describe('coding focus groups', () => {
    it('codes a focus group, seen by the staff who may see it and no one else', async () => {
        const day = new Date().toISOString().slice(0, 10);
        const made = await anna.post('/staff/focus-groups', { day, class: classA, themes: '', notes: 'FGNOTES pupils wanted a shorter story', quotes: '' });
        assert.equal(made.status, 303, made.text);
        const page = (await anna.get('/staff/coding')).text;
        const key = keysOf(page)['FGNOTES pupils wanted a shorter story'];
        assert.match(key, /^f\d+$/);
        const res = await anna.post('/staff/coding', [[`t-${key}`, themeId['Too long']], [`p-${key}`, 'story']]);
        assert.equal(res.status, 303);
        assert.equal(valueOf((await eva.get('/staff/coding')).text, key), themeId['Too long']);
        const b = (await ben.get('/staff/coding')).text;
        assert.doesNotMatch(b, /FGNOTES/);
        // Ben sending its name changes nothing.
        assert.equal((await ben.post('/staff/coding', [[`t-${key}`, themeId.Trust]])).status, 303);
        assert.equal(valueOf((await anna.get('/staff/coding')).text, key), themeId['Too long']);
    });
});

describe('the report', () => {
    it('counts each theme for the school\'s classes, with the masked comments coded with it', async () => {
        const res = await anna.get('/staff/report');
        assert.equal(res.status, 200);
        const page = res.text;
        // 5 comments of class A (the small class is held back), 4 of them coded.
        assert.match(page, /<h4 class="themes">Themes<\/h4>\n<p>4 of 5 comments coded with a theme; 1 focus group\.<\/p>/);
        assert.match(page, /<tr><th scope="row">Trusted adults<\/th><td>4<\/td><td>0<\/td><\/tr>/);
        assert.match(page, /<tr><th scope="row">Too long<\/th><td>3<\/td><td>1<\/td><\/tr>/);
        assert.match(page, /<tr><th scope="row">Old idea \(retired\)<\/th><td>1<\/td><td>0<\/td><\/tr>/);
        assert.match(page, /<h5 class="comments">Comments coded “Too long”<\/h5>\n<ul class="comments">\n<li>Alpha comment 0: the story was too long, mail me at \[email removed\]<\/li>\n<li>Alpha comment 1: the story was too long<\/li>\n<li>Alpha comment 2: the story was too long<\/li>\n<\/ul>/);
        assert.doesNotMatch(page, /pupil@example\.org|Small class comment|Bravo comment/);
        // School B's report has none of A's themes.
        const b = (await ben.get('/staff/report')).text;
        assert.match(b, /0 of 5 comments coded with a theme; 0 focus groups\./);
        assert.doesNotMatch(b, /Alpha comment|<th scope="row">Too long/);
    });
});

describe('a large class', () => {
    it('is coded in one POST of more fields than other forms take (two for each comment)', async () => {
        const big = await makeClass(eva, 'Year 11 big', 'School A');
        for (let i = 0; i < 140; i++) {
            const res = await answer(server, big, { 'q-comment': `Big class comment ${String(i).padStart(3, '0')}` });
            assert.equal(res.status, 303);
        }
        const page = (await eva.get(`/staff/coding?class=${big}`)).text;
        const keys = Object.entries(keysOf(page)).filter(([t]) => t.startsWith('Big class comment'));
        assert.equal(keys.length, 140);
        const fields = [];
        for (const [, k] of keys)
            fields.push([`t-${k}`, themeId['Too long']], [`p-${k}`, '']);
        assert.ok(fields.length > 256);
        const res = await eva.post(`/staff/coding?class=${big}`, fields);
        assert.equal(res.status, 303, res.text.slice(0, 500));
        assert.equal(res.headers.location, `/staff/coding?class=${big}&saved=1`);
        const after = (await eva.get(`/staff/coding?class=${big}`)).text;
        for (const [, k] of keys)
            assert.equal(valueOf(after, k), themeId['Too long']);
        // School A's staff see them coded; School B's do not see them at all.
        assert.equal(valueOf((await anna.get(`/staff/coding?class=${big}`)).text, keys[0][1]), themeId['Too long']);
        assert.equal((await ben.get(`/staff/coding?class=${big}`)).status, 404);
    });
});

describe('more than a page holds', () => {
    it('lists 400 and links each class to code it alone', async () => {
        const res = await eva.post('/staff/classes', { label: 'Year 7 huge', school: 'School A', size: '40' });
        assert.equal(res.status, 303, res.text);
        const huge = /made=([A-Z2-9]{8})/.exec(res.headers.location)[1];
        for (let i = 0; i < 260; i++)
            assert.equal((await answer(server, huge, { 'q-comment': `Huge class comment ${i}` })).status, 303);
        const page = (await eva.get('/staff/coding')).text;
        // 5 + 140 + 260 comments of School A and 5 of School B, and a focus group: 411.
        assert.equal(Object.keys(keysOf(page)).length, 400);
        assert.match(page, /<p>11 more comments and focus groups are not on this page, which lists 400 at most\. Code one class at a time:<\/p>/);
        assert.match(page, new RegExp(`<li><a href="/staff/coding\\?class=${huge}">Year 7 huge \\(<code>${huge}</code>, School A\\)</a></li>`));
        assert.equal(Object.keys(keysOf((await eva.get(`/staff/coding?class=${huge}`)).text)).length, 260);
    });
});
