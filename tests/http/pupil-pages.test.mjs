// Every page a pupil can be shown, whatever its status, comes from the site's layout: the
// quick exit first, the skip link, the package's language and its footer. This crawls the
// site from its start page and then asks the server for each status it can answer a pupil
// with (200 pages made for one response, 400, 404, 405, 409, 410, 413, 415, 429, 503), in
// every language, and checks each: a page in another language has no English interface text.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, PG, linksIn, newDb, raw, rawStatus, request, startServer } from './lib.mjs';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const PKG = path.join(process.cwd(), 'packages', 'default', 'package.yaml');
// The package's language and quick exit address, as package.yaml gives them.
const yaml = fs.readFileSync(PKG, 'utf8');
const LANG = /^language:\s*(\S+)/m.exec(yaml)[1];
const EXIT = /^exit_url:\s*(\S+)/m.exec(yaml)[1];
// The other languages it lists (`languages: [en-GB, cy]`): each has its pages under /LL/.
const OTHERS = (/^languages:\s*\[([^\]]*)\]/m.exec(yaml)?.[1] ?? '').split(',').map((l) => l.trim())
    .filter((l) => l && l !== LANG);
// The layout's words in each language planpack ships (src/site/catalogs), as the page has them.
const WORDS = {
    en: { exit: 'Quick exit', skip: 'Skip to main content', foot: 'This site sets no cookies' },
    cy: { exit: 'Gadael yn gyflym', skip: 'Neidio i&#39;r prif gynnwys', foot: 'Dyw&#39;r wefan hon ddim yn gosod cwcis' },
};
// A catalog planpack ships (src/site/catalogs), as a map from id to text.
function catalog(lang) {
    const file = path.join(process.cwd(), 'src', 'site', 'catalogs', `${lang.split('-')[0]}.yaml`);
    const texts = new Map();
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/^ {2}"?([a-z0-9-]+)"?:\s*"((?:[^"\\]|\\.)*)"\s*$/gm))
        texts.set(m[1], m[2].replace(/\\(.)/g, '$1'));
    return texts;
}
// Text escaped as a page writes it (buf_adds_html()).
function escapeHtml(text) {
    return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
        .replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}
// The catalog's title for a status in a language, as a page writes it.
function statusTitle(lang, status) {
    const t = catalog(lang).get(`status-${status}-title`);
    return t && escapeHtml(t);
}
// The English interface texts that another language words differently, each as the pieces
// around its places for values ({1}) that hold a word, escaped as a page writes them.
const ENGLISH = catalog('en');
const piecesOf = new Map();
function englishPieces(lang) {
    if (piecesOf.has(lang))
        return piecesOf.get(lang);
    const own = catalog(lang);
    const pieces = [];
    for (const [id, text] of ENGLISH) {
        assert.ok(own.has(id), `${lang} has no text for ${id}`);
        if (own.get(id) === text)
            continue;
        for (const piece of text.split(/\{[1-9]\}/))
            if (/[A-Za-z]/.test(piece))
                pieces.push([id, escapeHtml(piece)]);
    }
    assert.ok(pieces.length > 200, `only ${pieces.length} English texts to look for`);
    piecesOf.set(lang, pieces);
    return pieces;
}
const letter = /[A-Za-z]/;
// Asserts that html has no English interface text, outside the elements marked as English
// (lang="en...": the teachers' notes, text shown for want of a translation). A piece that
// starts or ends with a letter is not found inside a longer word ("No" in "Nodiadau").
function assertNoEnglish(html, what, lang) {
    let text = html;
    for (let at = text.indexOf(' lang="en'); at >= 0; at = text.indexOf(' lang="en', at + 1)) {
        const lt = text.lastIndexOf('<', at);
        const name = /^<([a-z0-9]+)/.exec(text.slice(lt))[1];
        const gt = text.indexOf('>', at);
        let depth = 1;
        let i = gt + 1;
        for (; i < text.length; i++) {
            if (text.startsWith(`<${name}`, i) && /[ >]/.test(text[i + name.length + 1]))
                depth++;
            else if (text.startsWith(`</${name}>`, i) && --depth === 0)
                break;
        }
        text = text.slice(0, gt + 1) + ' '.repeat(i - gt - 1) + text.slice(i);
    }
    for (const [id, piece] of englishPieces(lang)) {
        for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + 1)) {
            if (letter.test(piece[0]) && letter.test(text[at - 1] ?? ''))
                continue;
            if (letter.test(piece.at(-1)) && letter.test(text[at + piece.length] ?? ''))
                continue;
            assert.fail(`${what}: the English text of ${id} ("${piece}") at "${text.slice(at, at + 60)}"`);
        }
    }
}
// The language of a page at path p: its folder's, else the package's own.
function langOf(p) {
    const first = p.split('/')[1];
    return OTHERS.includes(first) ? first : LANG;
}

let dir;
let db;
let server;
let code;
let closed;
let full;

// Asserts that html is a pupil page in the site's layout; what names it in messages.
function assertPupilPage(html, what, lang = LANG) {
    const words = WORDS[lang.split('-')[0]];
    assert.match(html, new RegExp(`^<!doctype html>\\n<html lang="${lang}">`), `${what}: the page's language`);
    const exit = html.indexOf(`<a id="exit" class="exit" href="${EXIT}" rel="noreferrer">${words.exit}</a>`);
    assert.ok(exit > 0, `${what}: no quick exit link`);
    const body = html.indexOf('<body');
    assert.ok(body > 0 && exit > body, `${what}: the quick exit is not in the body`);
    const skip = html.indexOf(`<a class="skip" href="#main">${words.skip}</a>`);
    const main = html.indexOf('<main id="main"');
    assert.ok(skip > exit, `${what}: no skip link after the quick exit`);
    assert.ok(main > skip, `${what}: no <main id="main"> after the skip link`);
    assert.match(html, /<script src="[^"]*assets\/app\.[0-9a-f]{8}\.js" defer><\/script>/, `${what}: no script for the Shift shortcut`);
    assert.ok(/<footer class="foot">/.test(html) && html.includes(words.foot), `${what}: no footer`);
    // Every other language's same page, by its own name.
    for (const other of [LANG, ...OTHERS].filter((l) => l !== lang))
        assert.match(html, new RegExp(`<a href="[^"]*" hreflang="${other}" lang="${other}">`), `${what}: no link to ${other}`);
    assert.match(html, /<h1>[^<]+<\/h1>/, `${what}: no heading`);
}

function planpack(...args) {
    const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-pupil-'));
    db = newDb(dir);
    const out = planpack('cohort', 'new', '--label', 'Pupil pages').trim().split('\n');
    code = out[out.length - 1].trim();
    const shut = planpack('cohort', 'new', '--label', 'Closed').trim().split('\n');
    closed = shut[shut.length - 1].trim();
    planpack('cohort', 'close', closed);
    const small = planpack('cohort', 'new', '--label', 'Full', '--size', '1').trim().split('\n');
    full = small[small.length - 1].trim();
    server = await startServer({ args: ['--db', db] });
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('pupil pages', () => {
    it('every page linked from the start page has the layout', async () => {
        const seen = new Set();
        const queue = ['/'];
        while (queue.length) {
            const p = queue.shift();
            if (seen.has(p))
                continue;
            seen.add(p);
            const res = await request(server, { path: p });
            assert.equal(res.status, 200, p);
            const html = res.body.toString('utf8');
            assertPupilPage(html, `GET ${p}`, langOf(p));
            if (langOf(p) !== LANG)
                assertNoEnglish(html, `GET ${p}`, langOf(p));
            for (const link of linksIn(html)) {
                const u = new URL(link, `http://127.0.0.1${p}`);
                // The slides are the teacher's, on the classroom board: not a pupil page.
                if (u.host !== '127.0.0.1' || u.pathname.startsWith('/assets/') || u.pathname.endsWith('/teach'))
                    continue;
                if (/\.(svg|png|jpe?g|gif|webp)$/.test(u.pathname))
                    continue;
                queue.push(u.pathname);
            }
        }
        assert.ok(seen.size >= 5, `only ${[...seen].join(' ')} crawled`);
        // The language switcher leads to every page in every language.
        for (const lang of OTHERS)
            assert.ok([...seen].filter((p) => langOf(p) === lang).length * 2 >= seen.size - 2,
                `few pages crawled in ${lang}`);
    });

    it('every status the server answers a pupil with has the layout', async () => {
        const big = 'x='.concat('a'.repeat(20 * 1024));
        // One answer the survey takes, as the form offers it.
        const form = (await request(server, { path: '/feedback?part=end' })).body.toString('utf8');
        const radio = /<input type="radio" [^>]*name="([^"]+)" value="([^"]+)"/.exec(form);
        assert.ok(radio, 'the feedback form has a one-answer question');
        const answer = `c=${code}&${encodeURIComponent(radio[1])}=${encodeURIComponent(radio[2])}`;
        const asks = [
            [200, 'the form with a class code', { path: `/feedback?c=${code}` }],
            [200, 'a plan', { method: 'POST', path: '/plan', headers: FORM, body: 'layout=card' }],
            [200, 'thank you', { path: '/feedback/sent' }],
            [400, 'a plan form that cannot be read', { method: 'POST', path: '/plan', headers: FORM, body: 'a=%zz' }],
            [400, 'a feedback form that cannot be read', { method: 'POST', path: '/feedback', headers: FORM, body: 'a=%zz' }],
            [400, 'feedback without a class code', { method: 'POST', path: '/feedback', headers: FORM, body: 'q-x=1' }],
            [404, 'an unknown class code', { method: 'POST', path: '/feedback', headers: FORM, body: 'c=ABCDEFGH' }],
            [410, 'a closed class code', { method: 'POST', path: '/feedback', headers: FORM, body: `c=${closed}` }],
            [404, 'a missing page', { path: '/no-such-page' }],
            [404, 'a missing page deep down', { path: '/a/b/c' }],
            [405, 'a page that is only read', { method: 'PUT', path: '/support', headers: FORM, body: 'a=1' }],
            [405, 'a form sent with PUT', { method: 'PUT', path: '/plan', headers: FORM, body: 'a=1' }],
            [413, 'a plan too long', { method: 'POST', path: '/plan', headers: FORM, body: big }],
            [413, 'feedback too long', { method: 'POST', path: '/feedback', headers: FORM, body: big }],
            [415, 'a plan in another format', { method: 'POST', path: '/plan', headers: { 'content-type': 'text/plain' }, body: 'a=1' }],
        ];
        // The same in each other language's folder, in that language.
        for (const lang of OTHERS) {
            asks.push([200, `the form with a class code in ${lang}`, { path: `/${lang}/feedback?c=${code}&part=end` }],
                [200, `a plan in ${lang}`, { method: 'POST', path: `/${lang}/plan`, headers: FORM, body: 'layout=card' }],
                [200, `thank you in ${lang}`, { path: `/${lang}/feedback/sent` }],
                [200, `answer sheets in ${lang}`, { path: `/${lang}/feedback/sheet` }],
                [400, `feedback without a class code in ${lang}`, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body: 'q-x=1' }],
                [400, `a feedback form that cannot be read in ${lang}`, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body: 'a=%zz' }],
                [404, `an unknown class code in ${lang}`, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body: 'c=ABCDEFGH' }],
                [410, `a closed class code in ${lang}`, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body: `c=${closed}` }],
                [409, `a class that has all its answers in ${lang}`, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body: answer.replace(code, full) }],
                [400, `a plan form that cannot be read in ${lang}`, { method: 'POST', path: `/${lang}/plan`, headers: FORM, body: 'a=%zz' }],
                [404, `a missing page in ${lang}`, { path: `/${lang}/no-such-page` }],
                [405, `a page that is only read in ${lang}`, { method: 'PUT', path: `/${lang}/support`, headers: FORM, body: 'a=1' }],
                [405, `a form sent with PUT in ${lang}`, { method: 'PUT', path: `/${lang}/plan`, headers: FORM, body: 'a=1' }],
                [413, `a plan too long in ${lang}`, { method: 'POST', path: `/${lang}/plan`, headers: FORM, body: big }],
                [413, `feedback too long in ${lang}`, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body: big }],
                [415, `a plan in another format in ${lang}`, { method: 'POST', path: `/${lang}/plan`, headers: { 'content-type': 'text/plain' }, body: 'a=1' }],
                [404, `no staff pages in ${lang}`, { path: `/${lang}/staff/login` }]);
        }
        // A stored answer is not a page: the browser is sent on to the thank-you page.
        const stored = await request(server, { method: 'POST', path: '/feedback', headers: FORM, body: answer });
        assert.equal(stored.status, 303);
        assert.equal(stored.headers.location, 'feedback/sent');
        // A class of one pupil takes ten answers, then refuses (409).
        for (let i = 0; i < 10; i++)
            assert.equal((await request(server, { method: 'POST', path: '/feedback', headers: FORM, body: answer.replace(code, full) })).status, 303);
        const statuses = new Set();
        for (const [status, what, ask] of asks) {
            const res = await request(server, ask);
            assert.equal(res.status, status, what);
            assert.match(res.headers['content-type'], /^text\/html/, what);
            const html = res.body.toString('utf8');
            assertPupilPage(html, `${status} ${what}`, langOf(ask.path));
            // A refusal in another language's folder has that language's words, not English
            // (the feedback form refused comes back as the form, with the reason).
            if (langOf(ask.path) !== LANG) {
                assertNoEnglish(html, `${status} ${what}`, langOf(ask.path));
                if ([405, 413, 415].includes(status) && !ask.path.endsWith('/feedback'))
                    assert.ok(html.includes(`<h1>${statusTitle(langOf(ask.path), status)}</h1>`), `${status} ${what}: the title`);
            }
            statuses.add(status);
        }
        // A body framed in a way that cannot be read is refused before it is read.
        const text = await raw(server, 'POST /plan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n' +
            'Connection: close\r\n\r\n');
        assert.equal(rawStatus(text), 400);
        assertPupilPage(text.slice(text.indexOf('\r\n\r\n') + 4), '400 for a body that cannot be framed');
        assert.deepEqual([...statuses].sort(), [200, 400, 404, 405, ...(OTHERS.length ? [409] : []), 410, 413, 415]);
    });

    it('the form refused in another language gives its reasons in that language', async () => {
        for (const lang of OTHERS) {
            const file = path.join(process.cwd(), 'src', 'site', 'catalogs', `${lang.split('-')[0]}.yaml`);
            const catalog = fs.readFileSync(file, 'utf8');
            const text = (id) => new RegExp(`^\\s*${id}:\\s*"([^"]*)"`, 'm').exec(catalog)[1]
                .replaceAll('&', '&amp;').replaceAll("'", '&#39;');
            const res = await request(server, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body: 'c=ABCDEFGH' });
            const html = res.body.toString('utf8');
            assertPupilPage(html, `the form refused in ${lang}`, lang);
            assert.ok(html.includes(text('problem-code-unknown').replace('{1}', '8')), `${lang}: the class code's problem`);
            assert.ok(html.includes(text('problem-empty')), `${lang}: no answer`);
            assert.ok(!html.includes('That class code was not found'), `${lang}: English problem`);
        }
    });

    it('a language folder named without its slash leads to the folder', async () => {
        for (const lang of OTHERS) {
            const res = await request(server, { path: `/${lang}` });
            assert.equal(res.status, 308, `/${lang}`);
            assert.equal(res.headers.location, `/${lang}/`);
        }
        assert.equal((await request(server, { path: '/cymru' })).status, 404);
    });

    it('the form with a reason shows the reason and keeps the class code', async () => {
        const res = await request(server, { method: 'POST', path: '/feedback', headers: FORM, body: 'c=ABCDEFGH' });
        const html = res.body.toString('utf8');
        assert.match(html, /<form class="survey" method="post" action="feedback">\n<div class="note" id="f-error" role="alert">\n<h2>Not sent yet<\/h2>\n<p>Nothing has been saved yet\.[^<]*<\/p>\n<ul>\n<li><a href="#f-code">[^<]+<\/a><\/li>\n<li>No question was answered[^<]+<\/li>\n<\/ul>\n<\/div>\n(<input type="hidden" name="lang" value="[^"]+">\n)?<p>Every question/);
        assert.match(html, /<input id="f-code" name="c" value="ABCDEFGH" aria-invalid="true" aria-describedby="f-code-hint f-code-error" maxlength="32"/);
    });
});

describe('refusals of an answer that need a server of their own', () => {
    // Under /LL/ the form comes back in that language with the reason, and with the answers
    // kept: the disk short of space (503), then too many answers from one address (429).
    it('are in the language of the form', async () => {
        const own = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-pupil-busy-'));
        const ownDb = newDb(own);
        const r = spawnSync(BIN, ['cohort', 'new', '--label', 'Busy', '--db', ownDb], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, r.stderr);
        const busy = r.stdout.trim().split('\n').at(-1).trim();
        // More free space than any disk has: the guard is on from the start (SQLite only).
        const srv = await startServer({ args: ['--db', ownDb, '--answers-per-client', '1', '--min-free-disk', '1000000000'] });
        try {
            for (const lang of OTHERS) {
                const words = catalog(lang);
                const body = `c=${busy}&q-law-end=no&lang=${lang}`;
                const first = await request(srv, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body });
                assert.equal(first.status, PG ? 303 : 503, `${lang}: the first answer`);
                const refused = [[429, await request(srv, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body })]];
                if (!PG)
                    refused.push([503, first]);
                for (const [status, res] of refused) {
                    assert.equal(res.status, status, `${lang}: ${status}`);
                    const html = res.body.toString('utf8');
                    assertPupilPage(html, `${status} in ${lang}`, lang);
                    assertNoEnglish(html, `${status} in ${lang}`, lang);
                    const id = status === 429 ? 'refusal-too-many' : 'refusal-no-space';
                    assert.ok(html.includes(`<li>${escapeHtml(words.get(id))}</li>`), `${status} in ${lang}: the reason`);
                    assert.match(html, /name="q-law-end" value="no" checked>/, `${status} in ${lang}: the answer is kept`);
                }
            }
        } finally {
            await srv.stopClean();
            fs.rmSync(own, { recursive: true, force: true });
        }
    });
});

describe('feedback off', () => {
    it('says so in a pupil page with the layout (503)', { skip: PG ? 'needs a SQLite default store' : false }, async () => {
        // A folder where the default store's file would be: the store cannot open, feedback is off.
        const off = await startServer({ prepare: (cwd) => fs.mkdirSync(path.join(cwd, 'planpack.db')) });
        try {
            assert.match(off.stderr, /feedback is off/);
            const res = await request(off, { method: 'POST', path: '/feedback', headers: FORM, body: 'c=ABCDEFGH&q-law-end=no&q-comment=kept%20%3Ctext%3E' });
            assert.equal(res.status, 503);
            const html = res.body.toString('utf8');
            assertPupilPage(html, '503 feedback off');
            // The form again, with what was given kept and the reason at the top.
            assert.match(html, /<div class="note" id="f-error" role="alert">[\s\S]*<li>Feedback is not set up on this server/);
            assert.match(html, /name="c" value="ABCDEFGH"/);
            assert.match(html, /name="q-law-end" value="no" checked>/);
            assert.match(html, />kept &lt;text&gt;<\/textarea>/);
            for (const lang of OTHERS) {
                const cy = await request(off, { method: 'POST', path: `/${lang}/feedback`, headers: FORM, body: 'c=ABCDEFGH&q-law-end=no' });
                assert.equal(cy.status, 503);
                const page = cy.body.toString('utf8');
                assertPupilPage(page, `503 feedback off in ${lang}`, lang);
                assertNoEnglish(page, `503 feedback off in ${lang}`, lang);
                assert.ok(page.includes(`<li>${escapeHtml(catalog(lang).get('refusal-feedback-off'))}</li>`), `${lang}: the reason`);
            }
        } finally {
            await off.stopClean();
        }
    });
});
