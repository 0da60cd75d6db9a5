// The classroom: the lesson slides at /teach, served and exported, as a teacher uses them on
// the board. Every slide is reached by keyboard with its number in the address; reloading
// reopens it; the notes open under the slide and in a presenter window that follows the
// slides both ways; every slide fits the screen at 1280x720 and 1920x1080 in large type
// (photographed into the build folder); without JavaScript it is one long page of anchors;
// printed, it is the lesson plan. axe-core finds no violation. Every QR code, on the slides
// and on the letter home, is read back by a real decoder (zbarimg) from the page as
// Chromium draws it, and must equal the address it is meant to open. The letter, the blank
// plan and the wallet card each print on one A4 page.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import {
    BIN, SCREENS, assertNoSanitizerReport, axeCheck, binaryExists, launchBrowser,
    newGuardedContext, startServer, tmpdir, visit,
} from './lib.mjs';

const SIZES = [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }];
const CODE = 'K7M2-QX9P';
const PUBLIC = 'https://www.school.example/think/';
const SHOTS = path.join(SCREENS, 'teach');

/* The slide now shown, as the page sees it. */
function state(page) {
    return page.evaluate(() => {
        const shown = [...document.querySelectorAll('main.deck > .slide')]
            .filter((s) => s.getClientRects().length > 0);
        const cur = document.querySelector('.slide.current');
        const body = cur?.querySelector('.slide-body');
        const h = cur?.querySelector('h1, h2');
        return {
            hash: location.hash,
            shown: shown.map((s) => s.id),
            count: document.getElementById('deck-count')?.textContent,
            title: h ? h.textContent.trim() : '',
            overflow: body ? body.scrollHeight - body.clientHeight : 0,
            wide: document.documentElement.scrollWidth > window.innerWidth,
            font: body ? parseFloat(getComputedStyle(body).fontSize) : 0,
            heading: h ? parseFloat(getComputedStyle(h).fontSize) : 0,
            notes: !!cur && cur.querySelector('.notes').getClientRects().length > 0,
        };
    });
}

/*
 * Waits until slide `id` is the current one. A new address in the same page (a link to
 * #5, or going to teach#5 from teach) moves the deck on its hashchange event, a task
 * after the navigation itself has finished.
 */
async function settled(page, id) {
    await page.waitForFunction((want) => document.querySelector('.slide.current')?.id === want,
        String(id), { timeout: 5000 }).catch(() => {});
}

/* Opens a slide by its address, as a teacher's bookmark does, and waits for it. */
async function gotoSlide(page, url) {
    await page.goto(url);
    await settled(page, new URL(url).hash.slice(1));
}

async function slideCount(page) {
    return page.locator('main.deck > .slide').count();
}

/* Reads every QR code in a PNG with zbarimg; the decoded texts, one a symbol. */
function decode(png) {
    const r = spawnSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', png],
        { encoding: 'utf8', timeout: 30_000 });
    assert.ok(!r.error, `zbarimg could not run (install zbar-tools): ${r.error?.message}`);
    assert.equal(r.status, 0, `zbarimg found no QR code in ${png}: ${r.stderr}`);
    return r.stdout.split('\n').filter(Boolean);
}

/*
 * Photographs each QR code on the page as Chromium draws it, decodes the picture, and
 * returns what each says with the address printed under it (or beside it on the letter).
 */
async function readQrCodes(page, name) {
    fs.mkdirSync(SHOTS, { recursive: true });
    const codes = page.locator('svg.qr-code:visible');
    const out = [];
    for (let i = 0; i < await codes.count(); i++) {
        const svg = codes.nth(i);
        await svg.scrollIntoViewIfNeeded();
        const file = path.join(SHOTS, `qr-${name}-${i + 1}.png`);
        await svg.screenshot({ path: file });
        const printed = await svg.evaluate((el) => {
            const box = el.closest('figure, .letter-qr');
            const a = box && box.querySelector('a');
            return a ? a.textContent.trim() : '';
        });
        out.push({ decoded: decode(file), printed, file });
    }
    return out;
}

function exportWith(args) {
    const parent = tmpdir('teach-export');
    const dir = path.join(parent, 'site');
    const r = spawnSync(BIN, ['export', '-o', dir, ...args], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `planpack export failed:\n${r.stdout}\n${r.stderr}`);
    return {
        dir, stdout: r.stdout,
        url: (name) => pathToFileURL(path.join(dir, name)).href,
        remove: () => fs.rmSync(parent, { recursive: true, force: true }),
    };
}

/* The number of pages in a PDF that Chromium printed. */
function pdfPages(buf) {
    return (buf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

// Two tests at a time, each in a browser context of its own; the exports and screenshots
// they write have names of their own.
describe('the lesson slides', { timeout: 900_000, concurrency: 2 }, () => {
    let server;
    let browser;
    let exp;

    before(async () => {
        assert.ok(binaryExists(), `${BIN} does not exist: build it first (make asan)`);
        server = await startServer();
        exp = exportWith([]);
        browser = await launchBrowser();
    }, { timeout: 120_000 });

    after(async () => {
        await browser?.close();
        exp?.remove();
        if (server) {
            await server.stop();
            assertNoSanitizerReport(server);
        }
    }, { timeout: 30_000 });

    for (const site of ['served', 'export (file://)']) {
        test(`${site}: every slide by keyboard, its number in the address, large and whole ` +
            'at 1280x720 and 1920x1080', { timeout: 240_000 }, async () => {
            const served = site === 'served';
            const start = served ? `${server.url}teach?c=${CODE}` : exp.url('teach.html');
            for (const viewport of SIZES) {
                const guard = await newGuardedContext(browser, { viewport });
                try {
                    const page = await guard.context.newPage();
                    await visit(page, start);
                    const n = await slideCount(page);
                    assert.ok(n >= 12, `only ${n} slides`);
                    const big = viewport.height >= 1080;
                    // Forward with every key that moves on, in turn.
                    const forward = ['ArrowRight', 'Space', 'PageDown', 'ArrowDown'];
                    const seen = [];
                    for (let i = 1; i <= n; i++) {
                        const s = await state(page);
                        assert.equal(s.hash, `#${i}`, `slide ${i}: the address says ${s.hash}`);
                        assert.deepEqual(s.shown, [String(i)], `slide ${i}: shown ${s.shown}`);
                        assert.equal(s.count, `${i} / ${n}`);
                        assert.ok(s.title, `slide ${i} has no heading`);
                        assert.ok(s.overflow <= 1, `slide ${i} (${s.title}) does not fit: ` +
                            `${s.overflow}px too tall at ${viewport.width}x${viewport.height}`);
                        assert.equal(s.wide, false, `slide ${i} scrolls sideways`);
                        // Readable from the back of a classroom: body text and headings.
                        assert.ok(s.font >= (big ? 30 : 20), `slide ${i} (${s.title}): text ` +
                            `${s.font}px at ${viewport.width}x${viewport.height}`);
                        assert.ok(s.heading >= (big ? 44 : 30), `slide ${i}: heading ${s.heading}px`);
                        assert.equal(s.notes, false, `slide ${i}: the notes show before N`);
                        seen.push(s.title);
                        if (served) {
                            fs.mkdirSync(SHOTS, { recursive: true });
                            await page.screenshot({ path: path.join(SHOTS,
                                `slide-${viewport.width}x${viewport.height}-${String(i).padStart(2, '0')}.png`) });
                        }
                        await page.keyboard.press(forward[i % forward.length]);
                    }
                    // Past the end it stays on the last slide.
                    assert.equal((await state(page)).hash, `#${n}`);
                    for (const [key, want] of [['Home', 1], ['End', n], ['ArrowLeft', n - 1],
                        ['PageUp', n - 2], ['ArrowUp', n - 3], ['Shift+Space', n - 4]]) {
                        await page.keyboard.press(key);
                        assert.equal((await state(page)).hash, `#${want}`, `after ${key}`);
                    }
                    // The address reopens its slide, also after a reload.
                    await gotoSlide(page, start.replace(/#.*$/, '') + '#7');
                    assert.deepEqual((await state(page)).shown, ['7']);
                    await page.reload();
                    assert.deepEqual((await state(page)).shown, ['7']);
                    // A choice on a story slide opens the slide it leads to.
                    await page.keyboard.press('Home');
                    const choice = page.locator('.slide.current a.choice');
                    for (let i = 0; i < n && await choice.count() === 0; i++)
                        await page.keyboard.press('ArrowRight');
                    const target = await choice.first().getAttribute('href');
                    await choice.first().click();
                    assert.equal((await state(page)).hash, target);
                    await settled(page, target.slice(1));
                    assert.deepEqual((await state(page)).shown, [target.slice(1)]);
                    await guard.check(`the slides (${site}, ${viewport.width}x${viewport.height})`);
                    console.log(`${site} ${viewport.width}x${viewport.height}: ${n} slides: ` +
                        seen.join(' | '));
                } finally {
                    await guard.context.close();
                }
            }
        });
    }

    test('served: N shows the notes, P opens a presenter window that follows the slides ' +
        'both ways, F goes full screen', { timeout: 120_000 }, async () => {
        const guard = await newGuardedContext(browser, { viewport: SIZES[0] });
        try {
            const page = await guard.context.newPage();
            await visit(page, `${server.url}teach#4`);
            await page.keyboard.press('n');
            let s = await state(page);
            assert.equal(s.notes, true, 'N did not show the notes');
            assert.equal(s.overflow <= 1, true, 'with the notes the slide does not fit');
            assert.equal(await page.locator('[data-deck="notes"]').getAttribute('aria-pressed'), 'true');
            const notes = page.locator('.slide.current .notes');
            assert.match(await notes.innerText(), /About \d+ minutes? for slides \d+ to \d+ together: \d+ to \d+ minutes into the lesson/);
            assert.match(await notes.innerText(), /Say and do/);
            fs.mkdirSync(SHOTS, { recursive: true });
            await page.screenshot({ path: path.join(SHOTS, 'notes-1280x720.png') });
            // The notes stay on for the next slide and after a reload, and go with N.
            await page.keyboard.press('ArrowRight');
            assert.equal((await state(page)).notes, true);
            await page.keyboard.press('n');
            assert.equal((await state(page)).notes, false);

            const [pop] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('p')]);
            await pop.waitForLoadState('load');
            await pop.setViewportSize({ width: 1280, height: 800 });
            assert.match(await pop.evaluate(() => document.documentElement.className), /presenter/);
            const follows = async (p, want, what) => {
                await p.waitForFunction((h) => location.hash === h, `#${want}`, { timeout: 5000 })
                    .catch(() => {});
                assert.equal(new URL(p.url()).hash, `#${want}`, what);
            };
            await follows(pop, 5, 'the presenter window opened on another slide');
            assert.equal((await state(pop)).notes, true, 'the presenter window shows no notes');
            await page.keyboard.press('ArrowRight');
            await follows(pop, 6, 'the presenter window did not follow the slides');
            await pop.keyboard.press('ArrowRight');
            await follows(page, 7, 'the slides did not follow the presenter window');
            await pop.keyboard.press('End');
            await follows(page, await slideCount(page), 'End in the presenter window');
            const info = await pop.locator('.presenter-info').innerText();
            assert.match(info, /Last slide|Next:/);
            assert.match(info, /Time: \d+:\d\d/);
            await pop.keyboard.press('Home');
            await follows(page, 1, 'Home in the presenter window');
            await pop.screenshot({ path: path.join(SHOTS, 'presenter-1280x800.png') });
            await pop.close();

            await page.keyboard.press('f');
            await page.waitForFunction(() => !!document.fullscreenElement, null, { timeout: 5000 });
            await page.keyboard.press('f');
            await page.waitForFunction(() => !document.fullscreenElement, null, { timeout: 5000 });
            s = await state(page);
            assert.equal(s.hash, '#1');
            await guard.check('the notes, the presenter window and full screen');
        } finally {
            await guard.context.close();
        }
    });

    test('served: axe-core finds no violation on /teach, as slides, with notes, without ' +
        'JavaScript and in dark mode', { timeout: 180_000 }, async () => {
        const violations = [];
        for (const [what, opts, setup] of [
            ['slides', {}, null],
            ['slides with notes', {}, 'n'],
            ['long page, as without JavaScript', {}, 'long'],
            ['slides, dark', { colorScheme: 'dark' }, 'n'],
        ]) {
            const guard = await newGuardedContext(browser, { viewport: SIZES[0], bypassCSP: true, ...opts });
            try {
                const page = await guard.context.newPage();
                const n = await (async () => {
                    await visit(page, `${server.url}teach?c=${CODE}`);
                    return slideCount(page);
                })();
                if (setup === 'n')
                    await page.keyboard.press(setup);
                if (setup === 'long') {
                    // axe needs a script, so the page is put back as it is without one.
                    await page.evaluate(() => {
                        document.documentElement.classList.remove('deck-on', 'js', 'with-notes');
                        document.getElementById('deck-bar').hidden = true;
                    });
                    violations.push(...await axeCheck(page, `/teach (${what})`));
                } else {
                    // Each slide, as it is shown.
                    for (let i = 1; i <= n; i++) {
                        await gotoSlide(page, `${server.url}teach?c=${CODE}#${i}`);
                        if (setup === 'n')
                            await page.waitForFunction(() =>
                                document.documentElement.classList.contains('with-notes'));
                        violations.push(...await axeCheck(page, `/teach#${i} (${what})`));
                    }
                }
                await guard.check(`axe on /teach (${what})`);
            } finally {
                await guard.context.close();
            }
        }
        assert.deepEqual(violations, [], `axe violations:\n${violations.join('\n')}`);
    });

    test('without JavaScript the slides are one long page with an anchor for each',
        { timeout: 60_000 }, async () => {
            const guard = await newGuardedContext(browser, { viewport: SIZES[0], javaScriptEnabled: false });
            try {
                const page = await guard.context.newPage();
                await visit(page, `${server.url}teach#9`);
                const m = await page.evaluate(() => {
                    const slides = [...document.querySelectorAll('main.deck > .slide')];
                    const nine = document.getElementById('9').getBoundingClientRect();
                    return {
                        shown: slides.filter((s) => s.getClientRects().length > 0).length,
                        all: slides.length,
                        notes: [...document.querySelectorAll('.notes')]
                            .filter((s) => s.getClientRects().length > 0).length,
                        toc: document.querySelectorAll('.deck-toc a[href^="#"]').length,
                        nineTop: nine.top,
                        bar: !!document.getElementById('deck-bar').getClientRects().length,
                    };
                });
                assert.equal(m.shown, m.all, 'some slides are hidden without JavaScript');
                assert.equal(m.notes, m.all, 'the notes should be under every slide');
                assert.equal(m.toc, m.all);
                // The stylesheet keeps room above an anchor (scroll-padding-top: 4.5rem).
                assert.ok(m.nineTop >= 0 && m.nineTop < 100, `#9 did not scroll to slide 9 (${m.nineTop}px)`);
                assert.equal(m.bar, false, 'the slide controls need JavaScript and should be hidden');
                fs.mkdirSync(SHOTS, { recursive: true });
                await page.screenshot({ path: path.join(SHOTS, 'nojs-1280x720.png') });
                await guard.check('the long page');
            } finally {
                await guard.context.close();
            }
        });

    test('printed, the slides are the lesson plan', { timeout: 60_000 }, async () => {
        const guard = await newGuardedContext(browser, { viewport: SIZES[0] });
        try {
            const page = await guard.context.newPage();
            await visit(page, `${server.url}teach#3`);
            await page.emulateMedia({ media: 'print' });
            const m = await page.evaluate(() => {
                const vis = (sel) => [...document.querySelectorAll(sel)]
                    .filter((e) => e.getClientRects().length > 0).length;
                return {
                    slides: vis('main.deck > .slide'), all: document.querySelectorAll('.slide').length,
                    notes: vis('.notes'), bar: vis('.deck-bar'), qr: vis('svg.qr-code'),
                    timing: vis('.timing'),
                };
            });
            assert.equal(m.slides, m.all, 'the lesson plan leaves out slides');
            assert.equal(m.notes, m.all, 'the lesson plan leaves out notes');
            assert.equal(m.bar, 0);
            assert.equal(m.qr, 0, 'QR codes are for the board, not the lesson plan');
            assert.ok(m.timing >= 10, `only ${m.timing} timings in the lesson plan`);
            const pdf = await page.pdf({ format: 'A4' });
            fs.mkdirSync(SHOTS, { recursive: true });
            fs.writeFileSync(path.join(SHOTS, 'lesson-plan.pdf'), pdf);
            const pages = pdfPages(pdf);
            assert.ok(pages >= 2 && pages <= 10, `the lesson plan prints on ${pages} pages`);
            await guard.check('the printed lesson plan');
        } finally {
            await guard.context.close();
        }
    });

    test('served: every QR code decodes to the address it is meant to open',
        { timeout: 120_000 }, async () => {
            const guard = await newGuardedContext(browser, { viewport: SIZES[1] });
            try {
                const page = await guard.context.newPage();
                const want = {
                    title: server.url,
                    plan: `${server.url}plan`,
                    // The first feedback slide gives the start part's form, the last the end's.
                    feedback: `${server.url}feedback?c=${CODE}&part=start`,
                    end: `${server.url}feedback?c=${CODE}&part=end`,
                };
                const found = [];
                for (const [slide, url] of [['s-title', want.title], ['s-plan', want.plan],
                    ['s-feedback', want.feedback]]) {
                    await visit(page, `${server.url}teach?c=${CODE}`);
                    const n = await page.locator(`main.deck > .slide.${slide}`).first().getAttribute('id');
                    await gotoSlide(page, `${server.url}teach?c=${CODE}#${n}`);
                    const codes = await readQrCodes(page, `served-${slide}`);
                    assert.equal(codes.length, 1, `slide ${n} (${slide}) has ${codes.length} QR codes`);
                    assert.deepEqual(codes[0].decoded, [url], `the QR code on slide ${n}`);
                    assert.equal(codes[0].printed, url, `the address under the QR code on slide ${n}`);
                    found.push(url);
                }
                // The code a teacher typed in lower case is the class's code.
                await page.goto(`${server.url}teach?c=${CODE.toLowerCase()}#1`);
                await page.keyboard.press('End');
                const last = await readQrCodes(page, 'served-lowercase');
                assert.deepEqual(last.map((c) => c.decoded[0]), [want.end]);
                // A code that is not one gives no QR code, and says so.
                const bad = await page.goto(`${server.url}teach?c=%22%3E%3Cb%3Ex#1`);
                assert.equal(bad.status(), 200);
                assert.equal(await page.locator('b').count(), 0);
                await page.keyboard.press('End');
                assert.match(await page.locator('.slide.current').innerText(), /not a class code/);
                assert.equal(await page.locator('.slide.current svg.qr-code').count(), 0);
                // The letter home opens the parents' page.
                await visit(page, `${server.url}parents-letter`);
                const letter = await readQrCodes(page, 'served-letter');
                assert.deepEqual(letter.map((c) => c.decoded[0]), [`${server.url}parents`]);
                assert.equal(letter[0].printed, `${server.url}parents`);
                console.log(`QR codes read back: ${[...found, `${server.url}parents`].join(', ')}`);
                await guard.check('the QR codes');
            } finally {
                await guard.context.close();
            }
        });

    test('export with --public-url: QR codes open the published site; without it, the ' +
        'slides say how to get them', { timeout: 120_000 }, async () => {
        const pub = exportWith(['--public-url', PUBLIC]);
        const guard = await newGuardedContext(browser, { viewport: SIZES[0] });
        try {
            const page = await guard.context.newPage();
            await visit(page, pub.url('teach.html'));
            // Every QR code on every slide, read in turn.
            const n = await slideCount(page);
            const decoded = [];
            for (let i = 1; i <= n; i++) {
                await gotoSlide(page, `${pub.url('teach.html')}#${i}`);
                for (const c of await readQrCodes(page, `export-${i}`)) {
                    assert.equal(c.decoded.length, 1);
                    assert.equal(c.decoded[0], c.printed, `slide ${i}: the QR code and the address under it differ`);
                    decoded.push(c.decoded[0]);
                }
            }
            assert.deepEqual(decoded, [PUBLIC, `${PUBLIC}plan.html`]);
            await visit(page, pub.url('parents-letter.html'));
            assert.deepEqual((await readQrCodes(page, 'export-letter')).map((c) => c.decoded[0]),
                [`${PUBLIC}parents.html`]);

            // The plain export has none, and says how to add them.
            assert.match(exp.stdout, /--public-url/);
            await visit(page, exp.url('teach.html'));
            assert.equal(await page.locator('svg').count(), 0);
            assert.match(await page.locator('.slide.current').innerText(), /--public-url/);
            await guard.check('the export with and without --public-url');
        } finally {
            await guard.context.close();
            pub.remove();
        }
    });

    test('the letter home, the blank plan and the wallet card each print on one A4 page',
        { timeout: 120_000 }, async () => {
            const guard = await newGuardedContext(browser, { viewport: SIZES[0] });
            try {
                const page = await guard.context.newPage();
                fs.mkdirSync(SHOTS, { recursive: true });
                const one = async (name) => {
                    await page.emulateMedia({ media: 'print' });
                    const pdf = await page.pdf({ format: 'A4' });
                    fs.writeFileSync(path.join(SHOTS, `${name}.pdf`), pdf);
                    await page.screenshot({ path: path.join(SHOTS, `${name}-print.png`), fullPage: true });
                    await page.emulateMedia({ media: 'screen' });
                    return pdfPages(pdf);
                };
                await visit(page, `${server.url}parents-letter`);
                await page.emulateMedia({ media: 'print' });
                const hidden = await page.evaluate(() => ['.top', '.foot', '.pager', '.no-print']
                    .filter((s) => [...document.querySelectorAll(s)].some((e) => e.getClientRects().length)));
                assert.deepEqual(hidden, [], 'the printed letter shows the site around it');
                assert.equal(await one('letter'), 1, 'the letter home prints on more than one page');

                await visit(page, `${server.url}plan-worksheet`);
                assert.equal(await one('worksheet'), 1, 'the blank plan prints on more than one page');
                // Written for a pen: every box and line is on the page.
                await page.emulateMedia({ media: 'print' });
                assert.ok(await page.locator('.sheet-checks .box').count() >= 10);
                await page.emulateMedia({ media: 'screen' });

                // The wallet card: as the "Print as a wallet card" button leaves the page.
                await visit(page, `${server.url}plan`);
                await page.locator('form[data-plan] input[type=checkbox]').first().check();
                await page.evaluate(() => {
                    document.documentElement.classList.add('print-card');
                    document.getElementById('my-plan').classList.add('card');
                });
                await page.emulateMedia({ media: 'print' });
                const card = await page.locator('#my-plan').boundingBox();
                // 85.6 mm at 96 px to the inch, the size of a bank card.
                assert.ok(Math.abs(card.width - 85.6 / 25.4 * 96) < 4, `the card is ${card.width}px wide`);
                await page.emulateMedia({ media: 'screen' });
                assert.equal(await one('wallet-card'), 1, 'the wallet card prints on more than one page');
                await guard.check('the printables');
            } finally {
                await guard.context.close();
            }
        });
});
