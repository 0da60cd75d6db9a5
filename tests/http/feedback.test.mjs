// POST /feedback: every kind of bad submission is refused (400; 404 and 410 for an unknown
// or closed class code) with the form again, every answer kept and each reason beside its
// field, and nothing is stored; a good one is stored durably before the browser is sent on
// (303) to the page after it, which a reload only reads; stored text is escaped in the HTML
// report; many submissions at once are each stored exactly once. Nothing identifying
// (cookie, query string, answer text) reaches the log.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';

import { BIN, assertSecurityHeaders, newDb, request, startServer, waitFor } from './lib.mjs';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let dir;
let db;
let server;
let code; // the class whose answers the tests check one by one
let crowd; // the class that gets many answers at once
let closed; // a class closed to answers
let lines; // a class for an answer with line breaks
let sentBefore; // the page after an answer, as it was before anyone answered

function planpack(...args) {
    const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

function newCohort(label) {
    const out = planpack('cohort', 'new', '--label', label).trim().split('\n');
    const c = out[out.length - 1].trim();
    assert.match(c, /^[A-Z2-9]{8}$/, `cohort new printed ${out}`);
    return c;
}

function encode(pairs) {
    return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

async function post(body, headers = FORM) {
    const res = await request(server, { method: 'POST', path: '/feedback', headers, body });
    assertSecurityHeaders(res, 'POST /feedback');
    return res;
}

// The CSV export's data rows of one class, as arrays of cells (no cell here holds a newline).
function csvRows(classCode) {
    const lines = planpack('report', '--format', 'csv', '--k', '3').split(/\r?\n/).filter((l) => l);
    assert.match(lines[0], /^class_code,/);
    return lines.slice(1).filter((l) => l.startsWith(`${classCode},`));
}

// The text of the list of problems at the top of a re-rendered form, or null.
function errorText(html) {
    const m = /<div class="note" id="f-error" role="alert">([\s\S]*?)<\/div>/.exec(html);
    return m ? m[1] : null;
}

// The ids an element's aria-describedby names, for the element whose start tag matches re.
function describedBy(html, re) {
    const tag = re.exec(html);
    assert.ok(tag, `no element matches ${re}`);
    const m = /aria-describedby="([^"]+)"/.exec(tag[0]);
    assert.ok(m, `${tag[0]} names no description`);
    return m[1].split(' ');
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-feedback-'));
    db = newDb(dir);
    code = newCohort('Pilot 9X');
    crowd = newCohort('Pilot 9Y');
    closed = newCohort('Pilot 9Z');
    lines = newCohort('Pilot 9W');
    planpack('cohort', 'close', closed);
    server = await startServer({ args: ['--db', db] });
    sentBefore = await request(server, { path: '/feedback/sent' });
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('GET /feedback', () => {
    it('fills in a class code from the address, normalised, with no-store and no cookie', async () => {
        const res = await request(server, { path: `/feedback?c=${code.slice(0, 4).toLowerCase()}-${code.slice(4)}&part=end` });
        assert.equal(res.status, 200);
        assertSecurityHeaders(res, 'GET /feedback?c=');
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.match(res.body.toString('utf8'), new RegExp(`<input [^>]*name="c" value="${code}"`));
    });

    it('does not put anything but a class code into the page', async () => {
        const res = await request(server, { path: `/feedback?c=${encodeURIComponent('"><script>x</script>')}` });
        assert.equal(res.status, 200);
        const html = res.body.toString('utf8');
        assert.doesNotMatch(html, /<script>x/);
        assert.doesNotMatch(html, /name="c" value=/);
    });

    it('asks which part without a code, and serves a part\'s form without one', async () => {
        const res = await request(server, { path: '/feedback' });
        assert.equal(res.status, 200);
        assert.match(res.body.toString('utf8'), /<a class="button" href="feedback\?part=end">After the lesson<\/a>/);
        const form = await request(server, { path: '/feedback?part=end' });
        assert.match(form.body.toString('utf8'), /<form class="survey" method="post"/);
    });
});

describe('POST /feedback refuses bad submissions and stores nothing', () => {
    const long = 'x'.repeat(501);
    const cases = () => [
        ['no class code', 400, encode([['q-law-end', 'yes']]), /type the class code/],
        ['an empty body', 400, '', /type the class code/],
        ['an unknown class code', 404, encode([['c', 'ABCDEFGH'], ['q-law-end', 'yes']]), /class code was not found/],
        ['a malformed class code', 404, encode([['c', 'not a code!'], ['q-law-end', 'yes']]), /class code was not found/],
        ['a closed class code', 410, encode([['c', closed], ['q-law-end', 'yes']]), /has closed/],
        ['an unknown question', 400, encode([['c', code], ['q-nope', 'yes']]), /does not have \(&quot;q-nope&quot;\)/],
        ['a value out of range', 400, encode([['c', code], ['q-law-end', 'maybe']]), /&quot;maybe&quot; is not one of the answers/],
        ['two answers to a one-answer question', 400, encode([['c', code], ['q-law-end', 'yes'], ['q-law-end', 'no']]), /q-law-end|one answer|only one/i],
        ['text over its limit', 400, encode([['c', code], ['q-comment', long]]), /501 characters long; please keep it to 500/],
        ['invalid UTF-8', 400, `c=${code}&q-comment=%FF%FE`, /not valid UTF-8/],
        ['a broken percent-escape', 400, `c=${code}&q-comment=100%`, /./],
        ['nothing answered', 400, encode([['c', code]]), /./],
    ];

    it('answers each with its status and the reason in the form, escaped', async () => {
        for (const [what, status, body, message] of cases()) {
            const res = await post(body);
            assert.equal(res.status, status, what);
            assert.equal(res.headers['cache-control'], 'no-store', what);
            assert.equal(res.headers.location, undefined, what);
            const html = res.body.toString('utf8');
            const text = errorText(html);
            assert.ok(text, `${what}: no error shown in the form`);
            assert.match(text, message, what);
            assert.match(text, /Nothing has been saved/, what);
            // A body that cannot be read names no part: the page asks which, with the reason.
            if (/UTF-8|percent/.test(what))
                assert.match(html, /When are you answering\?/, `${what}: the parts are offered`);
            else
                assert.match(html, /<form class="survey"/, `${what}: the form is shown again`);
        }
    });

    it('says the answers are still there only when they are', async () => {
        const kept = errorText((await post(encode([['c', 'ABCDEFGH'], ['q-law-end', 'yes']]))).body.toString('utf8'));
        assert.match(kept, /Your answers are still here/);
        const unreadable = errorText((await post(`c=${code}&q-comment=100%`)).body.toString('utf8'));
        assert.match(unreadable, /Please fill in the form again/);
        assert.doesNotMatch(unreadable, /still here/);
    });

    it('keeps every answer and shows each problem beside its field', async () => {
        const comment = `Line one & <b>two</b>\r\n${'x'.repeat(480)}`;
        const res = await post(encode([
            ['c', 'abcd-efgh'],
            ['q-sure-end', 'end-4'],
            ['q-law-start', 'prefer-not-to-say'],
            ['q-helpful', 'h-story'],
            ['q-helpful', 'h-plan'],
            ['q-comment', comment],
        ]));
        // The code is the first problem: a class that is not known.
        assert.equal(res.status, 404);
        const html = res.body.toString('utf8');
        // Every answer is there again, as given.
        assert.match(html, /<input id="f-code" name="c" value="abcd-efgh" aria-invalid="true"/);
        assert.match(html, /<input type="radio" id="f-q-sure-end-end-4" name="q-sure-end" value="end-4" checked>/);
        assert.equal((html.match(/ checked>/g) || []).length, 4, 'exactly the four choices made are ticked');
        assert.match(html, /name="q-law-start" value="prefer-not-to-say" checked>/);
        assert.match(html, /name="q-helpful" value="h-story" checked>/);
        assert.match(html, /name="q-helpful" value="h-plan" checked>/);
        const text = /<textarea id="f-q-comment" name="q-comment" aria-invalid="true"[^>]*>([\s\S]*?)<\/textarea>/.exec(html);
        assert.ok(text, 'the comment box is there, marked as having a problem');
        assert.equal(text[1], comment.replace('&', '&amp;').replace('<b>', '&lt;b&gt;').replace('</b>', '&lt;/b&gt;'));
        // Both problems, each beside its field and named by it, and listed at the top in
        // the order of the form, each linking to its field.
        for (const [re, field, why] of [
            [/<input id="f-code"[^>]*>/, 'f-code', /class code was not found/],
            [/<textarea id="f-q-comment"[^>]*>/, 'f-q-comment', /502 characters long/],
        ]) {
            const ids = describedBy(html, re);
            const errId = `${field}-error`;
            assert.ok(ids.includes(errId), `${field} is described by ${ids}`);
            for (const id of ids)
                assert.equal(html.split(`id="${id}"`).length, 2, `exactly one element has the id ${id}`);
            const msg = new RegExp(`<p class="error-msg" id="${errId}"><strong>(.*?)</strong></p>`).exec(html);
            assert.ok(msg, `no message beside ${field}`);
            assert.match(msg[1], why);
            const at = html.indexOf(`id="${errId}"`);
            assert.ok(at < html.indexOf(`id="${field}"`) && at > html.indexOf('id="f-error"'), `the message is beside ${field}`);
        }
        const list = errorText(html);
        assert.match(list, /<li><a href="#f-code">[^<]*class code was not found[^<]*<\/a><\/li>\n<li><a href="#f-q-comment">[^<]*502 characters long[^<]*<\/a><\/li>/);
        assert.match(html, /<fieldset class="q q-text" aria-describedby="f-q-comment-error">/);
        // Only the questions with a problem are marked.
        assert.equal((html.match(/aria-invalid="true"/g) || []).length, 2);
        // Still one round trip of a new connection, as every pupil page is (14 KB gzipped).
        const gz = zlib.gzipSync(res.body).length;
        assert.ok(gz <= 14 * 1024, `the refused form is ${gz} bytes gzipped`);
    });

    it('counts a line break as one character, as the maxlength of the form does', async () => {
        // 500 characters as the browser counts them; it sends the line break as CR LF.
        const comment = `${'a'.repeat(249)}\r\n${'b'.repeat(250)}`;
        // Three of them, so that the class is not held back from the export (k = 3).
        for (let i = 0; i < 3; i++) {
            const res = await post(encode([['c', lines], ['q-comment', comment]]));
            assert.equal(res.status, 303, errorText(res.body.toString('utf8')) || '');
        }
        assert.equal(csvRows(lines).length, 3);
        const csv = planpack('report', '--format', 'csv', '--k', '3');
        assert.equal(csv.match(/a{249}\r?\nb{250}/g).length, 3, 'stored with its line break');
    });

    it('answers a body over 16 KiB with 413 and a non-form body with 415', async () => {
        const big = await post(encode([['c', code], ['q-law-end', 'yes'], ['q-comment', 'y'.repeat(17 * 1024)]]));
        assert.equal(big.status, 413);
        // The form again, with what was sent kept so that it can be shortened.
        const html = big.body.toString('utf8');
        assert.match(errorText(html), /longer than this form takes/);
        assert.match(html, new RegExp(`<input id="f-code" name="c" value="${code}"`));
        assert.match(html, /name="q-law-end" value="yes" checked>/);
        assert.match(html, new RegExp(`>${'y'.repeat(17 * 1024)}</textarea>`));
        // Past what is read at all, the server's own page.
        const huge = await post(encode([['c', code], ['q-comment', 'y'.repeat(65 * 1024)]]));
        assert.equal(huge.status, 413);
        assert.doesNotMatch(huge.body.toString('utf8'), /<form/);
        const json = await post(JSON.stringify({ c: code, 'q-law-end': 'yes' }), { 'content-type': 'application/json' });
        assert.equal(json.status, 415);
    });

    it('has stored none of them', () => {
        assert.deepEqual(csvRows(code), []);
        assert.deepEqual(csvRows(closed), []);
    });
});

describe('POST /feedback stores a good answer', () => {
    const script = '<script>alert("stored")</script>';

    it('sends the browser on (303) to the thank-you page, only once stored', async () => {
        const comments = [script, 'mail me at pupil@example.com', 'good', 'fine', 'ok'];
        for (const comment of comments) {
            const res = await post(encode([['c', code.toLowerCase()], ['q-law-end', 'yes'], ['q-comment', comment]]));
            assert.equal(res.status, 303);
            assert.equal(res.headers.location, 'feedback/sent');
            assert.equal(res.headers['cache-control'], 'no-store');
            assert.equal(res.body.length, 0);
            const sent = await request(server, { path: new URL(res.headers.location, `http://127.0.0.1/feedback`).pathname });
            assert.equal(sent.status, 200);
            assert.equal(sent.headers['cache-control'], 'no-store');
            assertSecurityHeaders(sent, 'GET /feedback/sent');
            const html = sent.body.toString('utf8');
            assert.match(html, /<h1>Thank you<\/h1>/);
            assert.match(html, /<a href="\/support">Need help now\?<\/a>/);
            assert.match(html, /<a id="exit" class="exit" href="[^"]+" rel="noreferrer">Quick exit<\/a>/);
        }
        const support = await request(server, { path: '/support' });
        assert.equal(support.status, 200, 'the "need help now?" link leads to a page');
        // Exactly these five: none of the refused submissions slipped in.
        const rows = csvRows(code);
        assert.equal(rows.length, 5, rows.join('\n'));
        assert.ok(rows.every((r) => r.includes(',Yes,') || r.includes(',yes,')), rows.join('\n'));
        assert.ok(rows.some((r) => r.includes('[email removed]')), 'the e-mail address is masked');
        assert.ok(!rows.some((r) => r.includes('pupil@example.com')), 'the e-mail address is not stored');
    });

    it('stores nothing again when the thank-you page is reloaded, and it tells nothing of others', async () => {
        const before = csvRows(code).length;
        for (let i = 0; i < 3; i++) {
            const again = await request(server, { path: '/feedback/sent' });
            assert.equal(again.status, 200);
            // The same page as before anyone answered: nothing in it comes from the answers.
            assert.deepEqual(again.body, sentBefore.body);
        }
        assert.equal(sentBefore.status, 200);
        assert.equal(csvRows(code).length, before);
        assert.doesNotMatch(sentBefore.body.toString('utf8'), new RegExp(`${code}|${crowd}|<form`));
        // It is a page to read: sending to it stores nothing either.
        const posted = await request(server, { method: 'POST', path: '/feedback/sent', headers: FORM, body: `c=${code}&q-law-end=yes` });
        assert.notEqual(posted.status, 303);
        assert.equal(csvRows(code).length, before);
    });

    it('refuses --compare with --format csv rather than ignoring it', () => {
        const r = spawnSync(BIN, ['report', '--format', 'csv', '--compare', '1.0.0,2.0.0', '--db', db], {
            encoding: 'utf8',
            timeout: 60_000,
        });
        assert.notEqual(r.status, 0);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /--compare is for text and HTML/);
    });

    it('shows a stored script escaped in the HTML report', () => {
        const html = planpack('report', '--format', 'html');
        assert.ok(html.includes('&lt;script&gt;alert(&quot;stored&quot;)&lt;/script&gt;'), 'the comment is shown, escaped');
        assert.ok(!html.includes(script), 'the comment is not markup');
    });

    it('stores many answers sent at once, each exactly once, acknowledging every one', async () => {
        const n = 200;
        const results = await Promise.all(
            Array.from({ length: n }, (_, i) =>
                post(encode([['c', crowd], ['q-law-start', i % 2 ? 'yes' : 'no'], ['q-comment', `answer number ${i}`]])),
            ),
        );
        assert.deepEqual(results.map((r) => r.status), Array(n).fill(303));
        const rows = csvRows(crowd);
        assert.equal(rows.length, n);
        for (let i = 0; i < n; i++) {
            const matching = rows.filter((r) => r.includes(`answer number ${i},`) || r.endsWith(`answer number ${i}`));
            assert.equal(matching.length, 1, `answer ${i} stored ${matching.length} times`);
        }
    });

    it('logs neither query strings nor answers', async () => {
        // Each thread gathers its lines and writes them out within a fraction of a second.
        const logged = () => /POST \/feedback 303 /.test(server.stdout) && /GET \/feedback 200 /.test(server.stdout);
        await waitFor(logged, { what: 'the access log lines of GET and POST /feedback' });
        assert.doesNotMatch(server.stdout, /\?c=|answer number|alert|example\.com/);
        assert.doesNotMatch(server.stderr, /answer number|alert|example\.com/);
    });
});
