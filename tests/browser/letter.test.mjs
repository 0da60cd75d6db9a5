// The letter home in each language, as a teacher prints it: from the teachers' guide, a link
// to the letter in every language the package has, each named in its own; each letter, its
// QR code and address included, prints on one sheet of A4 in type no smaller than 10pt,
// without the links to the other languages (they are for the screen). The Welsh letter is
// about a fifth longer than the English, so it is the one that would spill onto a second page.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
    BIN, SCREENS, assertNoSanitizerReport, binaryExists, launchBrowser, newGuardedContext,
    startServer, visit,
} from './lib.mjs';

/* A school's public address, as long as a real one, for the QR code and the printed address. */
const PUBLIC = 'https://www.ysgol-enghraifft.cymru/meddylia-ymlaen/';
const SHOTS = path.join(SCREENS, 'letter');

/* The number of pages in a PDF that Chromium printed. */
function pdfPages(buf) {
    return (buf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

describe('the letter home in every language', { timeout: 180_000 }, () => {
    let server;
    let browser;

    before(async () => {
        assert.ok(binaryExists(), `${BIN} does not exist: build it first (make asan)`);
        server = await startServer({ args: ['--public-url', PUBLIC] });
        browser = await launchBrowser();
    });

    after(async () => {
        await browser?.close();
        await server?.stop();
        if (server)
            assertNoSanitizerReport(server);
    });

    test('the teachers\' guide links the letter in each language; each prints on one A4 page',
        { timeout: 120_000 }, async () => {
            const guard = await newGuardedContext(browser);
            try {
                const page = await guard.context.newPage();
                fs.mkdirSync(SHOTS, { recursive: true });
                await visit(page, `${server.url}teachers`);
                const letters = await page.$$eval('.page-langs a', (as) => as.map((a) => ({
                    href: a.href, name: a.textContent, lang: a.getAttribute('hreflang'),
                })));
                assert.deepEqual(letters.map((l) => l.name), ['English', 'Cymraeg']);
                for (const l of letters) {
                    await visit(page, l.href);
                    assert.equal(await page.getAttribute('html', 'lang'), l.lang);
                    assert.ok(await page.locator('body.page-letter').count(),
                        `${l.href} is not the letter home`);
                    // On screen, the letter offers itself in the other language.
                    const other = await page.$$eval('.page-langs a', (as) => as.map((a) => a.href));
                    assert.deepEqual(other, letters.filter((x) => x.lang !== l.lang).map((x) => x.href));
                    await page.emulateMedia({ media: 'print' });
                    const printed = await page.evaluate(() => ({
                        langs: [...document.querySelectorAll('.page-langs')]
                            .some((e) => e.getClientRects().length),
                        qr: !!document.querySelector('.letter-qr svg')?.getClientRects().length,
                        smallest: Math.min(...[...document.querySelectorAll('main p, main li')]
                            .filter((e) => e.getClientRects().length)
                            .map((e) => parseFloat(getComputedStyle(e).fontSize))),
                    }));
                    assert.equal(printed.langs, false, 'the printed letter lists the other languages');
                    assert.ok(printed.qr, 'the printed letter has no QR code');
                    // 10pt is 13.33 CSS pixels.
                    assert.ok(printed.smallest >= 13.3, `printed type of ${printed.smallest}px`);
                    const pdf = await page.pdf({ format: 'A4' });
                    fs.writeFileSync(path.join(SHOTS, `letter-${l.lang}.pdf`), pdf);
                    await page.emulateMedia({ media: 'screen' });
                    assert.equal(pdfPages(pdf), 1, `the letter in ${l.name} prints on more than one page`);
                }
                await guard.check('the letter home in every language');
            } finally {
                await guard.context.close();
            }
        });
});
