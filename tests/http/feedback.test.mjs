// POST /feedback: every kind of bad submission is refused with 400 and its reason shown in
// the form, and nothing is stored; a good one is stored durably before the thank-you page;
// stored text is escaped in the HTML report; many submissions at once are each stored
// exactly once. Nothing identifying (cookie, query string, answer text) reaches the log.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, assertSecurityHeaders, newDb, request, startServer, waitFor } from './lib.mjs';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let dir;
let db;
let server;
let code; // the class whose answers the tests check one by one
let crowd; // the class that gets many answers at once
let closed; // a class closed to answers

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

// The text of the error paragraph in a re-rendered form, or null.
function errorText(html) {
    const m = /<p class="error"[^>]*>([\s\S]*?)<\/p>/.exec(html);
    return m ? m[1] : null;
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-feedback-'));
    db = newDb(dir);
    code = newCohort('Pilot 9X');
    crowd = newCohort('Pilot 9Y');
    closed = newCohort('Pilot 9Z');
    planpack('cohort', 'close', closed);
    server = await startServer({ args: ['--db', db] });
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('GET /feedback', () => {
    it('fills in a class code from the address, normalised, with no-store and no cookie', async () => {
        const res = await request(server, { path: `/feedback?c=${code.slice(0, 4).toLowerCase()}-${code.slice(4)}` });
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

    it('still serves the plain form without a code', async () => {
        const res = await request(server, { path: '/feedback' });
        assert.equal(res.status, 200);
        assert.match(res.body.toString('utf8'), /<form class="survey" method="post"/);
    });
});

describe('POST /feedback refuses bad submissions and stores nothing', () => {
    const long = 'x'.repeat(501);
    const cases = () => [
        ['no class code', encode([['q-help-end', 'yes']]), /type the class code/],
        ['an empty body', '', /type the class code/],
        ['an unknown class code', encode([['c', 'ABCDEFGH'], ['q-help-end', 'yes']]), /class code was not found/],
        ['a malformed class code', encode([['c', 'not a code!'], ['q-help-end', 'yes']]), /class code was not found/],
        ['a closed class code', encode([['c', closed], ['q-help-end', 'yes']]), /has closed/],
        ['an unknown question', encode([['c', code], ['q-nope', 'yes']]), /does not have \(&quot;q-nope&quot;\)/],
        ['a value out of range', encode([['c', code], ['q-help-end', 'maybe']]), /&quot;maybe&quot; is not one of the answers/],
        ['two answers to a one-answer question', encode([['c', code], ['q-help-end', 'yes'], ['q-help-end', 'no']]), /q-help-end|one answer|only one/i],
        ['text over its limit', encode([['c', code], ['q-comment', long]]), /501 characters long; please keep it to 500/],
        ['invalid UTF-8', `c=${code}&q-comment=%FF%FE`, /not valid UTF-8/],
        ['a broken percent-escape', `c=${code}&q-comment=100%`, /./],
        ['nothing answered', encode([['c', code]]), /./],
    ];

    it('answers each with 400 and the reason in the form, escaped', async () => {
        for (const [what, body, message] of cases()) {
            const res = await post(body);
            assert.equal(res.status, 400, what);
            assert.equal(res.headers['cache-control'], 'no-store', what);
            const html = res.body.toString('utf8');
            const text = errorText(html);
            assert.ok(text, `${what}: no error shown in the form`);
            assert.match(text, message, what);
            assert.match(text, /Nothing has been saved/, what);
            assert.match(html, /<form class="survey"/, `${what}: the form is shown again`);
        }
    });

    it('answers a body over 16 KiB with 413 and a non-form body with 415', async () => {
        const big = await post(encode([['c', code], ['q-comment', 'y'.repeat(17 * 1024)]]));
        assert.equal(big.status, 413);
        const json = await post(JSON.stringify({ c: code, 'q-help-end': 'yes' }), { 'content-type': 'application/json' });
        assert.equal(json.status, 415);
    });

    it('has stored none of them', () => {
        assert.deepEqual(csvRows(code), []);
        assert.deepEqual(csvRows(closed), []);
    });
});

describe('POST /feedback stores a good answer', () => {
    const script = '<script>alert("stored")</script>';

    it('shows the thank-you page with a way to get help, only once stored', async () => {
        const comments = [script, 'mail me at pupil@example.com', 'good', 'fine', 'ok'];
        for (const comment of comments) {
            const res = await post(encode([['c', code.toLowerCase()], ['q-help-end', 'yes'], ['q-comment', comment]]));
            assert.equal(res.status, 200);
            assert.equal(res.headers['cache-control'], 'no-store');
            const html = res.body.toString('utf8');
            assert.match(html, /<h1>Thank you<\/h1>/);
            assert.match(html, /<a href="\/support">Need help now\?<\/a>/);
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

    it('refuses --compare with --format csv rather than ignoring it', () => {
        const r = spawnSync(BIN, ['report', '--format', 'csv', '--compare', '1.0.0,1.1.0', '--db', db], {
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
                post(encode([['c', crowd], ['q-help-start', i % 2 ? 'yes' : 'no'], ['q-comment', `answer number ${i}`]])),
            ),
        );
        assert.deepEqual(results.map((r) => r.status), Array(n).fill(200));
        const rows = csvRows(crowd);
        assert.equal(rows.length, n);
        for (let i = 0; i < n; i++) {
            const matching = rows.filter((r) => r.includes(`answer number ${i},`) || r.endsWith(`answer number ${i}`));
            assert.equal(matching.length, 1, `answer ${i} stored ${matching.length} times`);
        }
    });

    it('logs neither query strings nor answers', async () => {
        // Each thread gathers its lines and writes them out within a fraction of a second.
        const logged = () => /POST \/feedback 200 /.test(server.stdout) && /GET \/feedback 200 /.test(server.stdout);
        await waitFor(logged, { what: 'the access log lines of GET and POST /feedback' });
        assert.doesNotMatch(server.stdout, /\?c=|answer number|alert|example\.com/);
        assert.doesNotMatch(server.stderr, /answer number|alert|example\.com/);
    });
});
