// The staff pages of a safeguarding lead and an evaluator: class codes made and closed
// while the server runs, reports and the CSV export narrowed to what an account may see,
// focus groups with theme tags, and the rules every page keeps: no page without a session,
// no change without the CSRF token and this server's Origin, and another school's classes,
// reports and notes answering 404, as if they did not exist.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, newDb, PG, request, ROOT, SECURITY_HEADERS, startServer } from './lib.mjs';
import { addStaff, answer, makeClass, planpack, signIn, sql } from './staff-lib.mjs';

// The version of the built-in package, which the server serves and stamps on new classes.
const SERVED = fs.readFileSync(path.join(ROOT, 'packages/default/package.yaml'), 'utf8')
    .match(/^version: *(\S+)/m)[1];
const SERVED_RE = SERVED.replaceAll('.', '\\.');

let dir;
let db;
let server;
let anna; // staff of School A
let ben; // staff of School B
let eva; // an evaluator of every school
let classA; // School A's class, with five answers
let classB; // School B's class, with five answers

const PAGES = ['/staff/', '/staff/classes', '/staff/report', '/staff/report.csv', '/staff/compare', '/staff/focus-groups'];

// The class codes listed in the classes table of a page.
function listedCodes(html) {
    return [...html.matchAll(/<th scope="row"><code>([A-Z2-9]{8})<\/code><\/th>/g)].map((m) => m[1]);
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-staff-pages-'));
    db = newDb(dir);
    addStaff(db, 'anna', 'School A');
    addStaff(db, 'ben', 'School B');
    addStaff(db, 'eva');
    // Accounts for the session tests, each signed in once by its own test.
    addStaff(db, 'idle', 'School A');
    addStaff(db, 'longday');
    addStaff(db, 'leaver', 'School B');
    server = await startServer({ args: ['--db', db] });
    anna = await signIn(server, 'anna');
    ben = await signIn(server, 'ben');
    eva = await signIn(server, 'eva');
    classA = await makeClass(anna, 'Year 9 PSHE, A');
    classB = await makeClass(ben, 'Year 8 tutor group, B');
    for (let i = 0; i < 5; i++) {
        assert.equal((await answer(server, classA, { 'q-comment': `A comment ${i}` })).status, 303);
        assert.equal((await answer(server, classB, { 'q-comment': `B comment ${i}` })).status, 303);
    }
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('every staff page', () => {
    it('redirects to the sign-in form without a session, showing nothing', async () => {
        for (const p of [...PAGES, `/staff/report?class=${classA}`, '/staff/focus-groups?theme=x']) {
            const res = await request(server, { path: p });
            assert.equal(res.status, 303, p);
            assert.equal(res.headers.location, '/staff/login', p);
            assert.doesNotMatch(res.body.toString(), /comment|School|PSHE/, p);
        }
    });

    it('carries the security headers, no-store, the stylesheet, labels and the CSRF token', async () => {
        for (const p of PAGES.filter((x) => !x.endsWith('.csv'))) {
            const res = await eva.get(p);
            assert.equal(res.status, 200, p);
            for (const [name, value] of Object.entries(SECURITY_HEADERS))
                assert.equal(res.headers[name], value, `${p} ${name}`);
            assert.equal(res.headers['cache-control'], 'no-store', p);
            assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', p);
            assert.match(res.text, /<link rel="stylesheet" href="\/assets\/style\.[0-9a-f]+\.css">/, p);
            assert.match(res.text, /<main id="main">\n<h1>/, p);
            // Every field has a label, and every POST form the session's token.
            for (const m of res.text.matchAll(/<(?:input|select|textarea) id="([^"]+)"/g))
                assert.match(res.text, new RegExp(`<label for="${m[1]}">`), `${p}: label for ${m[1]}`);
            for (const f of res.text.matchAll(/<form method="post"[\s\S]*?<\/form>/g))
                assert.ok(f[0].includes(`name="csrf" value="${eva.csrf}"`), `${p}: ${f[0].slice(0, 80)}`);
        }
    });

    it('answers with one whole page in the same frame, redirects and refusals included', async () => {
        const responses = [
            ['no session', await request(server, { path: '/staff/classes' })],
            ['the sign-in form', await request(server, { path: '/staff/login' })],
            ['a wrong password', await request(server, { method: 'POST', path: '/staff/login', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://${server.hostname}:${server.port}` }, body: 'name=anna&password=wrong' })],
            ['a foreign Origin', await anna.post('/staff/classes', { label: 'x' }, { origin: 'http://evil.example' })],
            ['a page that is not there', await anna.get('/staff/nothing')],
            ['a redirect after a form', await anna.post('/staff/classes/open', { code: classA, open: '1' })],
            ['the home page', await anna.get('/staff/')],
        ];
        for (const [what, res] of responses) {
            const page = res.body.toString();
            assert.match(page, /^<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="same-origin">\n<meta name="robots" content="noindex">\n<title>[^<]+ – planpack staff<\/title>\n<link rel="stylesheet" href="\/[^"]+">\n<\/head>\n<body class="staff">\n/, what);
            assert.equal(page.match(/<main id="main">\n<h1>/g)?.length, 1, what);
            assert.equal(page.match(/<h1>/g).length, 1, what);
            assert.ok(page.endsWith('</main>\n</body>\n</html>\n'), what);
        }
    });

    it('refuses every POST without the token or from another Origin, changing nothing', async () => {
        const posts = [
            ['/staff/classes', { label: 'Sneaky class' }],
            ['/staff/classes/open', { code: classA, open: '0' }],
            ['/staff/focus-groups', { day: '2026-01-05', class: classA, notes: 'Sneaky note' }],
        ];
        for (const [p, fields] of posts) {
            for (const [what, opts] of [
                ['no token', { token: false }],
                ['a foreign Origin', { origin: 'http://evil.example' }],
                ['no Origin', { origin: null }],
            ]) {
                const res = await anna.post(p, fields, opts);
                assert.equal(res.status, 403, `${p} with ${what}`);
            }
            const wrong = await anna.post(p, [...Object.entries(fields), ['csrf', 'A'.repeat(22)]], { token: false });
            assert.equal(wrong.status, 403, `${p} with a wrong token`);
        }
        const classes = await anna.get('/staff/classes');
        assert.doesNotMatch(classes.text, /Sneaky class/);
        assert.match(classes.text, new RegExp(`${classA}[\\s\\S]*?<td data-label="Feedback">open</td>`));
        assert.doesNotMatch((await anna.get('/staff/focus-groups')).text, /Sneaky note/);
        assert.equal((await answer(server, classA, { 'q-comment': 'still open' })).status, 303);
    });
});

// Reports come before the tests that add small classes, which the report must then hide.
describe('reports', () => {
    it('show school staff their school only', async () => {
        const res = await anna.get('/staff/report');
        assert.equal(res.status, 200);
        assert.match(res.text, /A comment/);
        assert.doesNotMatch(res.text, /B comment|School B|Year 8 tutor group/);
        assert.ok(!res.text.includes(classB));
        assert.doesNotMatch(res.text, /id="r-school"/, 'no school choice for school staff');
    });

    it('answer 404 for another school\'s class or school', async () => {
        for (const p of [`/staff/report?class=${classB}`, '/staff/report?school=School%20B',
            `/staff/report.csv?class=${classB}`, '/staff/report.csv?school=School%20B', '/staff/report?class=ZZZZZZZZ',
            `/staff/report?class=${classA}&school=School%20B`]) {
            const res = await anna.get(p);
            assert.equal(res.status, 404, p);
            assert.doesNotMatch(res.text, /B comment|Year 8 tutor group/, p);
        }
        assert.equal((await anna.get(`/staff/report?class=${classA}`)).status, 200);
        assert.equal((await anna.get('/staff/report?school=School%20A')).status, 200);
    });

    it('give each chart as an SVG file within the same scope: another school\'s is a 404', async () => {
        const chart = (group) =>
            `/staff/report/chart?group=${encodeURIComponent(group)}&q=q-law-end&format=svg`;
        const own = await anna.get(chart('school:School A'));
        assert.equal(own.status, 200, own.text);
        assert.match(own.headers['content-type'], /^image\/svg\+xml/);
        assert.match(own.text, /<svg class="chart" role="img"/);
        // School B's school, class and the whole (which for anna is School A's alone).
        assert.equal((await anna.get(chart('school:School B'))).status, 404);
        assert.equal((await anna.get(chart(`class:${classB}`))).status, 404);
        assert.equal((await anna.get(`${chart(`class:${classB}`)}&school=School%20B`)).status, 404);
        const all = await anna.get(chart('all'));
        assert.equal(all.text, own.text);
        assert.equal((await eva.get(chart(`class:${classB}`))).status, 200);
        assert.equal((await eva.get(chart('school:School A').replace('svg', 'png'))).status, 404);
    });

    it('show the evaluator every school, or one school or class', async () => {
        const all = await eva.get('/staff/report');
        assert.match(all.text, /A comment/);
        assert.match(all.text, /B comment/);
        assert.match(all.text, /<select id="r-school" name="school">/);
        const b = await eva.get('/staff/report?school=School+B');
        assert.equal(b.status, 200);
        assert.match(b.text, /B comment/);
        assert.doesNotMatch(b.text, /A comment/);
        assert.match(b.text, /<option value="School B" selected>/);
        assert.equal((await eva.get('/staff/report?school=Nowhere')).status, 404);
    });

    it('download as CSV with the same scope, as an attachment', async () => {
        const res = await anna.get('/staff/report.csv');
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
        assert.match(res.headers['content-disposition'], /^attachment; filename="planpack-feedback-\d{4}-\d\d-\d\d\.csv"$/);
        assert.equal(res.headers['cache-control'], 'no-store');
        const lines = res.text.split(/\r?\n/).filter((l) => l);
        assert.match(lines[0], /^class_code,school,package_version/);
        const rows = lines.slice(1);
        assert.ok(rows.filter((l) => l.startsWith(`${classA},`)).length >= 5);
        assert.ok(rows.every((l) => !l.startsWith(`${classB},`) && !l.includes('School B')), 'no row of School B');
        const one = await eva.get(`/staff/report.csv?class=${classB}`);
        assert.equal(one.status, 200);
        assert.match(one.headers['content-disposition'], new RegExp(`filename="planpack-feedback-${classB}-`));
        const oneRows = one.text.split(/\r?\n/).filter((l) => l).slice(1);
        assert.ok(oneRows.length >= 5 && oneRows.every((l) => l.startsWith(`${classB},`)));
        const both = (await eva.get('/staff/report.csv')).text;
        assert.ok(both.includes(`${classA},`) && both.includes(`${classB},`));
    });

    it('download the codebook, and SPSS and Stata files that ReadStat reads back, with the same scope', async () => {
        const day = new Date().toISOString().slice(0, 10).replace(/\d\d$/, '\\d\\d');
        const cb = await anna.get('/staff/report.txt');
        assert.equal(cb.status, 200);
        assert.equal(cb.headers['content-type'], 'text/plain; charset=utf-8');
        assert.match(cb.headers['content-disposition'], new RegExp(`^attachment; filename="planpack-feedback-codebook-${day}\\.txt"$`));
        const rows = Number(/files hold (\d+) rows,/.exec(cb.text)[1]);
        assert.ok(rows >= 5, cb.text);
        assert.match(cb.text, /Left out here: 0 submissions from 0 classes\./);
        assert.ok(!cb.text.includes('School B'));
        const page = await anna.get('/staff/report');
        for (const ext of ['csv', 'txt', 'sav', 'dta'])
            assert.ok(page.text.includes(`<a href="/staff/report.${ext}" download>`), `the report page links to .${ext}`);
        for (const [ext, type] of [['sav', 'application/x-spss-sav'], ['dta', 'application/x-stata-dta']]) {
            const res = await anna.get(`/staff/report.${ext}`);
            assert.equal(res.status, 200);
            assert.equal(res.headers['content-type'], type);
            assert.equal(res.headers['cache-control'], 'no-store');
            assert.match(res.headers['content-disposition'], new RegExp(`^attachment; filename="planpack-feedback-${day}\\.${ext}"$`));
            const file = path.join(dir, `download.${ext}`);
            fs.writeFileSync(file, res.body);
            const read = spawnSync('/usr/bin/readstat', [file, '-'], { encoding: 'utf8', timeout: 30_000 });
            assert.equal(read.status, 0, read.stderr);
            const lines = read.stdout.split('\n').filter((l) => l);
            assert.match(lines[0], /^"class_code","school","package_version","language","part","day","pairing",/);
            assert.equal(lines.length - 1, rows, 'as many rows as the codebook says');
            assert.ok(lines.slice(1).every((l) => l.startsWith(`"${classA}","School A",`)), read.stdout);
            const one = await eva.get(`/staff/report.${ext}?class=${classB}`);
            assert.match(one.headers['content-disposition'], new RegExp(`filename="planpack-feedback-${classB}-`));
            fs.writeFileSync(file, one.body);
            const b = spawnSync('/usr/bin/readstat', [file, '-'], { encoding: 'utf8', timeout: 30_000 });
            assert.equal(b.status, 0, b.stderr);
            const bRows = b.stdout.split('\n').filter((l) => l).slice(1);
            assert.ok(bRows.length >= 5 && bRows.every((l) => l.startsWith(`"${classB}","School B",`)), b.stdout);
        }
        assert.equal((await ben.get(`/staff/report.dta?class=${classA}`)).status, 404, "another school's class");
        assert.equal((await anna.get('/staff/report.xls')).status, 404);
    });
});

describe('classes', () => {
    it('are listed only for their own school; the evaluator sees both', async () => {
        const a = await anna.get('/staff/classes');
        assert.deepEqual(listedCodes(a.text), [classA]);
        assert.match(a.text, /<caption>Class codes of School A/);
        assert.match(a.text, /<p>School: School A<\/p>/, 'school staff cannot pick another school');
        assert.doesNotMatch(a.text, /name="school"/);
        assert.ok(a.text.includes(`href="/feedback?c=${classA}"`));
        assert.ok(a.text.includes(`href="/teach?c=${classA}"`));
        assert.ok(a.text.includes(`href="/staff/report?class=${classA}"`));
        assert.match(a.text, new RegExp(`version ${SERVED_RE} \\(the one this server serves\\)`));
        const b = await ben.get('/staff/classes');
        assert.deepEqual(listedCodes(b.text), [classB]);
        const e = await eva.get('/staff/classes');
        assert.deepEqual(listedCodes(e.text).sort(), [classA, classB].sort());
        assert.match(e.text, /<input id="c-school" name="school"/);
    });

    it('say "no school given" for a class with none, as the reports do', async () => {
        const code = await makeClass(eva, 'Year 11 no school');
        const page = (await eva.get('/staff/classes')).text;
        assert.match(page, new RegExp(`<code>${code}</code></th><td data-label="Label">Year 11 no school</td><td data-label="School">no school given</td>`));
        const report = (await eva.get(`/staff/report?class=${code}`)).text;
        assert.match(report, /<span class="meta">no school given, version /);
    });

    it('are made on the page while the server runs, take feedback and reach the report', async () => {
        const code = await makeClass(eva, 'Year 10 <b>PSHE</b>', 'School C');
        const page = await eva.get(`/staff/classes?made=${code}`);
        assert.ok(page.text.includes(`New class code <code>${code}</code> for Year 10 &lt;b&gt;PSHE&lt;/b&gt;`));
        assert.match(page.text, new RegExp(`<code>${code}</code></th><td data-label="Label">Year 10 &lt;b&gt;PSHE&lt;/b&gt;</td><td data-label="School">School C</td><td data-label="Package version">${SERVED_RE}</td><td data-label="Created">\\d{4}-\\d\\d-\\d\\d</td><td data-label="Feedback">open</td><td data-label="Submissions">0 so far, of up to 300 \\(30 pupils\\)</td>`));
        // Four answers: the class is not shown yet, in any figure.
        for (let i = 0; i < 4; i++)
            assert.equal((await answer(server, code, { 'q-comment': `C note ${i}` })).status, 303);
        let report = await eva.get(`/staff/report?class=${code}`);
        assert.equal(report.status, 200);
        assert.match(report.text, /Not shown yet: this class has fewer than 5 submissions/);
        assert.doesNotMatch(report.text, /C note/);
        // Nor has it a chart to download, whoever asks and however.
        const chart = `/staff/report/chart?group=class:${code}&q=q-comment&format=svg`;
        assert.equal((await eva.get(chart)).status, 404);
        assert.equal((await eva.get(`${chart}&class=${code}`)).status, 404);
        // The fifth shows it.
        assert.equal((await answer(server, code, { 'q-comment': 'C note 4' })).status, 303);
        report = await eva.get(`/staff/report?class=${code}`);
        assert.match(report.text, /Submissions: 5\./);
        assert.match(report.text, /C note 4/);
        const svg = await eva.get(chart);
        assert.equal(svg.status, 200);
        assert.match(svg.text, /<text class="value"[^>]*>5 \(not in the shares\)<\/text>|<text class="value"[^>]*>5<\/text>/);
        assert.doesNotMatch(report.text, /A comment|B comment/);
    });

    it('refuse an empty label and keep what was typed', async () => {
        const res = await eva.post('/staff/classes', { label: '  ', school: 'School Z' });
        assert.equal(res.status, 400);
        assert.match(res.text, /<p class="error" role="alert">Please give the class a label\.<\/p>/);
        assert.match(res.text, /name="school" maxlength="200" value="School Z"/);
        assert.doesNotMatch((await eva.get('/staff/classes')).text, /School Z/);
    });

    it('refuse a label or school holding a control character, saying which kind', async () => {
        for (const [label, school] of [['Year 9\tPSHE', 'School T'], ['Year 9', 'School\u001b[31m T']]) {
            const res = await eva.post('/staff/classes', { label, school });
            assert.equal(res.status, 400);
            assert.match(res.text, /<p class="error" role="alert">The label and the school name may not hold tabs, line breaks or other control characters\./);
        }
        assert.doesNotMatch((await eva.get('/staff/classes')).text, /School T|School\u001b/);
    });

    it('give school staff their own school, whatever the form says', async () => {
        const code = await makeClass(anna, 'Year 7 A', 'School B');
        const a = await anna.get('/staff/classes');
        assert.ok(listedCodes(a.text).includes(code));
        assert.ok(!listedCodes((await ben.get('/staff/classes')).text).includes(code));
    });

    it('close and reopen: a closed code refuses feedback with a 410', async () => {
        const code = await makeClass(anna, 'Year 9 closing');
        // Close asks first, on a page of its own, and changes nothing until confirmed.
        const asked = await anna.post('/staff/classes/open', { code, open: '0' });
        assert.equal(asked.status, 200);
        assert.match(asked.text, new RegExp(`<h1>Close class ${code}\\?</h1>`));
        assert.match(asked.text, /Year 9 closing \(School A\)\. Submissions: 0 so far, of up to 300 \(30 pupils\)\./);
        assert.match(asked.text, /name="confirm" value="yes">\n<p><button type="submit">Close the class<\/button> <a href="\/staff\/classes">No, keep it open<\/a>/);
        assert.match((await anna.get('/staff/classes')).text, new RegExp(`${code}[\\s\\S]*?<td data-label="Feedback">open</td>`));
        assert.equal((await answer(server, code)).status, 303);
        const closed = await anna.post('/staff/classes/open', { code, open: '0', confirm: 'yes' });
        assert.equal(closed.status, 303);
        assert.equal(closed.headers.location, '/staff/classes');
        assert.match((await anna.get('/staff/classes')).text, new RegExp(`${code}[\\s\\S]*?<td data-label="Feedback">closed</td><td data-label="Submissions">1 so far, of up to 300 \\(30 pupils\\)</td>[\\s\\S]*?aria-label="Reopen ${code}"`));
        const refused = await answer(server, code);
        assert.equal(refused.status, 410);
        assert.match(refused.body.toString(), /closed/);
        const reopened = await anna.post('/staff/classes/open', { code, open: '1' });
        assert.equal(reopened.status, 303);
        assert.equal((await answer(server, code)).status, 303);
    });

    it('of another school cannot be closed: 404, and the class stays open', async () => {
        const res = await ben.post('/staff/classes/open', { code: classA, open: '0', confirm: 'yes' });
        assert.equal(res.status, 404);
        const unknown = await ben.post('/staff/classes/open', { code: 'ABCDEFGH', open: '0', confirm: 'yes' });
        assert.equal(unknown.status, 404);
        assert.equal(res.text.replace(/csrf" value="[^"]+"/, '').replace(/as ben/, ''),
            unknown.text.replace(/csrf" value="[^"]+"/, '').replace(/as ben/, ''), 'the same answer as for no such class');
        assert.equal((await answer(server, classA)).status, 303);
    });
});

describe('focus groups', () => {
    it('are recorded, listed with their tags, filtered by a tag, masked and escaped', async () => {
        const res = await anna.post('/staff/focus-groups', {
            day: '2026-01-05',
            class: classA,
            themes: 'Trust, online safety, trust',
            notes: 'Pupils wanted more on reporting. Follow up with head@school.example.',
            quotes: 'I did not know I could tell someone\n<script>alert(1)</script>',
        });
        assert.equal(res.status, 303, res.text);
        assert.equal(res.headers.location, '/staff/focus-groups');
        const second = await anna.post('/staff/focus-groups', { day: '2026-01-06', class: classA, themes: 'parents', notes: 'About home.' });
        assert.equal(second.status, 303, second.text);
        const list = await anna.get('/staff/focus-groups');
        assert.match(list.text, new RegExp(`<h3>Year 9 PSHE, A \\(${classA}\\), 2026-01-05</h3>\\n<p class="meta">Recorded by anna on \\d{4}-\\d\\d-\\d\\d\\.</p>`));
        assert.match(list.text, /<a href="\/staff\/focus-groups\?theme=trust">trust<\/a>/);
        assert.match(list.text, /<a href="\/staff\/focus-groups\?theme=online%20safety">online safety<\/a>/);
        assert.equal((list.text.match(/theme=trust"/g) || []).length, 1, 'a repeated tag is kept once');
        assert.ok(list.text.includes('[email removed]'));
        assert.ok(!list.text.includes('head@school.example'));
        assert.ok(list.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
        assert.ok(!list.text.includes('<script>alert(1)'));
        assert.match(list.text, /Write no names/);
        const trust = await anna.get('/staff/focus-groups?theme=Trust');
        assert.match(trust.text, /Pupils wanted more on reporting/);
        assert.doesNotMatch(trust.text, /About home/);
        const parents = await anna.get('/staff/focus-groups?theme=parents');
        assert.match(parents.text, /About home/);
        assert.doesNotMatch(parents.text, /Pupils wanted more/);
        assert.match((await anna.get('/staff/focus-groups?theme=nothing')).text, /None recorded yet/);
    });

    it('of another school are neither listed nor recordable; the evaluator sees them', async () => {
        const b = await ben.get('/staff/focus-groups');
        assert.doesNotMatch(b.text, /Pupils wanted more|About home/);
        assert.ok(!b.text.includes(classA));
        assert.equal((await ben.get(`/staff/focus-groups?class=${classA}`)).status, 404);
        const sneaky = await ben.post('/staff/focus-groups', { day: '2026-01-05', class: classA, notes: 'B writes on A' });
        assert.equal(sneaky.status, 404);
        assert.doesNotMatch((await eva.get('/staff/focus-groups')).text, /B writes on A/);
        const e = await eva.get('/staff/focus-groups?theme=trust');
        assert.match(e.text, /Pupils wanted more on reporting/);
        // The report of School B holds no School A notes either.
        assert.doesNotMatch((await ben.get('/staff/report')).text, /Pupils wanted more/);
        assert.match((await anna.get('/staff/report')).text, /Pupils wanted more/);
    });

    it('are changed and deleted by the staff who see them, and by no one else', async () => {
        const made = await anna.post('/staff/focus-groups', { day: '2026-01-07', class: classA, themes: 'names', notes: 'Mistyped: Jo Bloggs said so' });
        assert.equal(made.status, 303, made.text);
        let list = (await anna.get('/staff/focus-groups')).text;
        const id = /<article class="focus-group" id="fg-(\d+)">\n<h3>Year 9 PSHE, A \([A-Z2-9]{8}\), 2026-01-07<\/h3>/.exec(list)[1];
        assert.ok(list.includes(`<a href="/staff/focus-groups/edit?id=${id}">Change this focus group</a>`));

        // Another school's staff: 404 for the form, the change and the deletion, as if none.
        assert.equal((await ben.get(`/staff/focus-groups/edit?id=${id}`)).status, 404);
        assert.equal((await ben.post('/staff/focus-groups/edit', { id, day: '2026-01-07', class: classB, notes: 'B was here' })).status, 404);
        assert.equal((await ben.post('/staff/focus-groups/delete', { id, confirm: 'yes' })).status, 404);
        assert.equal((await anna.get('/staff/focus-groups/edit?id=999999')).status, 404);

        // The form holds what was recorded; saving it records who changed it.
        const form = await anna.get(`/staff/focus-groups/edit?id=${id}`);
        assert.equal(form.status, 200);
        assert.match(form.text, /<h1>Change a focus group<\/h1>/);
        assert.match(form.text, /name="day" type="date" required value="2026-01-07"/);
        assert.match(form.text, /Mistyped: Jo Bloggs said so<\/textarea>/);
        assert.ok(form.text.includes(`<option value="${classA}" selected>Year 9 PSHE, A (${classA})</option>`));
        const bad = await anna.post('/staff/focus-groups/edit', { id, day: '2026-13-01', class: classA, notes: 'Still typed' });
        assert.equal(bad.status, 400);
        assert.match(bad.text, /Still typed<\/textarea>/);
        const changed = await eva.post('/staff/focus-groups/edit', { id, day: '2026-01-08', class: classA, themes: 'names', notes: 'A pupil said so' });
        assert.equal(changed.status, 303, changed.text);
        assert.equal(changed.headers.location, `/staff/focus-groups?done=changed#fg-${id}`);
        list = (await anna.get('/staff/focus-groups')).text;
        assert.doesNotMatch(list, /Jo Bloggs/);
        assert.match(list, new RegExp(`id="fg-${id}">\\n<h3>Year 9 PSHE, A \\(${classA}\\), 2026-01-08</h3>\\n<p class="meta">Recorded by anna on [0-9-]{10}\\. Last changed by eva on [0-9-]{10}\\.</p>`));

        // Deleting asks first; then the focus group is gone.
        const asked = await anna.post('/staff/focus-groups/delete', { id });
        assert.equal(asked.status, 200);
        assert.match(asked.text, /<h1>Delete this focus group\?<\/h1>\n<p>Year 9 PSHE, A \([A-Z2-9]{8}\), 2026-01-08\. /);
        assert.match((await anna.get('/staff/focus-groups')).text, /A pupil said so/);
        const gone = await anna.post('/staff/focus-groups/delete', { id, confirm: 'yes' });
        assert.equal(gone.status, 303);
        assert.equal(gone.headers.location, '/staff/focus-groups?done=deleted');
        list = (await anna.get('/staff/focus-groups?done=deleted')).text;
        assert.match(list, /The focus group has been deleted\./);
        assert.doesNotMatch(list, /A pupil said so/);
        assert.equal(sql(db, `SELECT count(*) FROM focus_groups WHERE id = ${id}`), '0');
    });

    it('refuse a bad date or no class for school staff, saving nothing', async () => {
        const bad = await anna.post('/staff/focus-groups', { day: '2026-02-30', class: classA, notes: 'Bad day note' });
        assert.equal(bad.status, 400);
        assert.match(bad.text, /role="alert">Please give the date/);
        assert.match(bad.text, /Bad day note<\/textarea>/, 'what was typed is kept');
        const future = await anna.post('/staff/focus-groups', { day: '2999-01-01', class: classA, notes: 'Future note' });
        assert.equal(future.status, 400);
        const noClass = await anna.post('/staff/focus-groups', { day: '2026-01-05', notes: 'Classless note' });
        assert.equal(noClass.status, 400);
        const list = (await eva.get('/staff/focus-groups')).text;
        assert.doesNotMatch(list, /Bad day note|Future note|Classless note/);
    });
});

describe('sessions over HTTP', () => {
    // The session row of a cookie is found by its staff account: each test signs in afresh.
    const rows = (name) => Number(sql(db, `SELECT count(*) FROM sessions WHERE staff_id = (SELECT id FROM staff WHERE name = '${name}')`));

    it('end after 30 minutes without use, and the row is gone', async () => {
        const who = await signIn(server, 'idle');
        assert.equal(rows('idle'), 1);
        const idShift = `UPDATE sessions SET last_seen = last_seen - %d WHERE staff_id = (SELECT id FROM staff WHERE name = 'idle')`;
        sql(db, idShift.replace('%d', '1700'));
        assert.equal((await who.get('/staff/classes')).status, 200, '28 minutes idle is still signed in');
        sql(db, idShift.replace('%d', '1900'));
        const res = await who.get('/staff/classes');
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/login');
        assert.equal(rows('idle'), 0);
    });

    it('end 12 hours after sign-in even when in use, and the row is gone', async () => {
        const who = await signIn(server, 'longday');
        const shift = (s) => sql(db, `UPDATE sessions SET created = created - ${s} WHERE staff_id = (SELECT id FROM staff WHERE name = 'longday')`);
        shift(11 * 3600);
        assert.equal((await who.get('/staff/report')).status, 200, '11 hours in is still signed in');
        shift(3600 + 60);
        const res = await who.get('/staff/report');
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/login');
        assert.equal(rows('longday'), 0);
    });

    it('end on sign-out: the old cookie no longer works and the row is gone', async () => {
        const who = await signIn(server, 'leaver');
        assert.equal(rows('leaver'), 1);
        const out = await who.post('/staff/logout', {});
        assert.equal(out.status, 303);
        assert.equal(rows('leaver'), 0);
        for (const p of PAGES) {
            const res = await who.get(p);
            assert.equal(res.status, 303, p);
            assert.equal(res.headers.location, '/staff/login', p);
        }
    });
});

describe('the command line beside the server', () => {
    it('says a running server holds the file, naming only staff pages that can do the same', { skip: PG ? 'PostgreSQL takes writes from many processes' : false }, () => {
        for (const [args, page] of [
            [['purge', '--older-than', '30'], null],
            [['staff', 'add', 'newbie'], null],
            [['staff', 'remove', 'idle'], /or while it runs an evaluator can do this on the staff pages' Accounts page\n$/],
            [['cohort', 'close', classA], /or while it runs use the Classes page of the staff pages\n$/],
        ]) {
            const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', input: 'correct horse battery staple\n', timeout: 60_000 });
            assert.notEqual(r.status, 0, args.join(' '));
            assert.match(r.stderr, /is open for writing by another planpack process \(planpack serve\?\): stop it first/, args.join(' '));
            if (page)
                assert.match(r.stderr, page, args.join(' '));
            else
                assert.doesNotMatch(r.stderr, /staff pages|Accounts|Classes/, args.join(' '));
        }
    });

    it('purge says what it deleted, dating focus groups by when they were recorded', async () => {
        const pdir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-purge-'));
        const pdb = newDb(pdir, 'purge.db');
        addStaff(pdb, 'lead', 'School P');
        const s = await startServer({ args: ['--db', pdb] });
        try {
            const lead = await signIn(s, 'lead');
            const code = await makeClass(lead, 'Year 9, P');
            for (let i = 0; i < 3; i++)
                assert.equal((await answer(s, code)).status, 303);
            // A meeting long ago recorded today stays; a recent meeting recorded long ago goes.
            for (const [day, notes] of [['2020-01-01', 'old meeting, recorded today'], ['2026-01-02', 'recorded long ago']])
                assert.equal((await lead.post('/staff/focus-groups', { day, class: code, notes })).status, 303);
        } finally {
            await s.stopClean();
        }
        sql(pdb, "UPDATE focus_groups SET recorded_day = recorded_day - 400 WHERE notes = 'recorded long ago'");
        sql(pdb, 'UPDATE answers SET day = day - 400 WHERE id IN (SELECT min(id) FROM answers)');
        const out = planpack(pdb, ['purge', '--older-than', '365']);
        assert.equal(out, 'deleted from before 365 days ago: 1 answers, 1 focus groups (by the day they were recorded), 0 ended sign-in sessions\n');
        assert.equal(sql(pdb, 'SELECT notes FROM focus_groups'), 'old meeting, recorded today');
        fs.rmSync(pdir, { recursive: true, force: true });
    });
});
