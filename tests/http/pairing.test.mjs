// Pairing words over HTTP: a start answer's page after it shows the word the server drew
// for it (and sets no cookie); end answers typed with that word (exactly, with a letter
// missing, or given twice) pair or not as they should; the report gives the match rate and
// the CSV the pairing numbers; the word itself is in no export.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, assertSecurityHeaders, newDb, request, startServer } from './lib.mjs';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let dir;
let db;
let server;
let code;

function planpack(...args) {
    const r = spawnSync(BIN, [...args, '--db', db], { timeout: 60_000 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

function encode(pairs) {
    return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

// The first scale or single question of a part's form and its first option, as the form shows
// them, so that the test follows the package's survey whatever its questions are.
async function firstQuestion(part) {
    const res = await request(server, { path: `/feedback?c=${code}&part=${part}` });
    assert.equal(res.status, 200);
    const html = res.body.toString('utf8');
    const m = /<input type="radio"[^>]* name="([^"]+)" value="([^"]+)"/.exec(html);
    assert.ok(m, `the ${part} form has no radio button`);
    return { html, name: m[1], value: m[2] };
}

async function post(fields) {
    const res = await request(server, { method: 'POST', path: '/feedback', headers: FORM, body: encode(fields) });
    assertSecurityHeaders(res, 'POST /feedback');
    assert.equal(res.headers['set-cookie'], undefined, 'no cookie is set');
    return res;
}

// The edit distance between two strings (letters replaced, added or removed).
function lev(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++)
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
    }
    return prev[b.length];
}

let words = []; // the words the server drew, one per start answer

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-pairing-'));
    db = newDb(dir);
    const out = planpack('cohort', 'new', '--label', 'Pairing 8P').toString().trim().split('\n');
    code = out[out.length - 1].trim();
    assert.match(code, /^[A-Z2-9]{8}$/);
    server = await startServer({ args: ['--db', db] });
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('pairing words', () => {
    it('gives each start answer a word on the page after it, with no cookie', async () => {
        const q = await firstQuestion('start');
        for (let i = 0; i < 6; i++) {
            const res = await post([['c', code], ['part', 'start'], [q.name, q.value]]);
            assert.equal(res.status, 303);
            const m = /^feedback\/sent\?w=([a-z]+-[a-z]+)$/.exec(res.headers.location);
            assert.ok(m, `location ${res.headers.location}`);
            const sent = await request(server, { path: `/${res.headers.location}` });
            assert.equal(sent.status, 200);
            assert.equal(sent.headers['cache-control'], 'no-store');
            assert.equal(sent.headers['set-cookie'], undefined);
            const html = sent.body.toString('utf8');
            const w = /<p class="big-words">([a-z]+ [a-z]+)<\/p>/.exec(html);
            assert.ok(w, 'the page shows the pairing word large');
            assert.equal(w[1], m[1].replace('-', ' '));
            assert.match(html, /Write it on your plan or answer sheet/);
            assert.match(html, /it does not say who you are/);
            // Nothing in the page keeps the word in the browser.
            assert.doesNotMatch(html, /localStorage|sessionStorage|document\.cookie/);
            words.push(w[1]);
        }
        // Six answers, six words, each drawn apart from those the class already had.
        assert.equal(new Set(words).size, 6, `words ${words}`);
        for (const [i, a] of words.entries())
            for (const b of words.slice(i + 1))
                assert.ok(lev(a.replace(' ', ''), b.replace(' ', '')) >= 3, `'${a}' and '${b}' are close`);
    });

    it('shows no word that the lists could not make, whatever the link says', async () => {
        for (const w of ['you-smell', 'green', '<b>x</b>', 'otter-green']) {
            const res = await request(server, { path: `/feedback/sent?w=${encodeURIComponent(w)}` });
            assert.equal(res.status, 200);
            assert.doesNotMatch(res.body.toString('utf8'), /big-words/);
        }
    });

    it('asks for the word at the end, optionally, and pairs exact words and near misses', async () => {
        const q = await firstQuestion('end');
        assert.match(q.html, /Your pairing word, if you have one/);
        assert.match(q.html, /<input [^>]*name="pairing-word"/);
        const [n, a, b, c] = [3, 0, 1, 2];
        const typed = [
            words[a],
            words[b].toUpperCase(), // case does not matter
            ` ${words[c].replace(' ', '-')} `, // nor hyphens and spaces
            words[n].slice(0, -1), // its last letter missing: the words are apart, so only one is near
            words[4], // given twice: pairs with neither
            words[4],
            '', // no word
        ];
        for (const t of typed) {
            const res = await post([['c', code], ['part', 'end'], [q.name, q.value], ['pairing-word', t]]);
            assert.equal(res.status, 303);
            assert.equal(res.headers.location, 'feedback/sent', 'an end answer is given no word');
        }
    });

    it('reports the match rate and numbers the pairs in the CSV, and no word leaves', async () => {
        const text = planpack('report', '--k', '3').toString();
        assert.match(text, /Pairing words: 4 pairs\. 67% of the 6 start answers and 57% of the 7 end answers were paired/);
        const csv = planpack('report', '--format', 'csv', '--k', '3').toString();
        const rows = csv.split(/\r\n/).filter((l) => l.startsWith(`${code},`));
        assert.equal(rows.length, 13);
        const numbers = rows.map((r) => r.split(',')[6]);
        for (const n of ['1', '2', '3', '4'])
            assert.equal(numbers.filter((x) => x === n).length, 2, `pair ${n} in ${numbers}`);
        assert.equal(numbers.filter((x) => x === '').length, 5);
        const outputs = {
            text,
            csv,
            html: planpack('report', '--k', '3', '--format', 'html').toString(),
            codebook: planpack('report', '--k', '3', '--format', 'codebook').toString(),
            sav: planpack('report', '--k', '3', '--format', 'sav'),
            dta: planpack('report', '--k', '3', '--format', 'dta'),
        };
        for (const [what, out] of Object.entries(outputs))
            for (const w of words)
                for (const form of [w, w.replace(' ', '-'), w.replace(' ', '')])
                    assert.equal(Buffer.from(out).includes(Buffer.from(form)), false, `'${form}' is in the ${what} output`);
    });
});
