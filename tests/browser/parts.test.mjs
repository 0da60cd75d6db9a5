// The survey's parts in a real browser: the page that asks which part, a part's form and
// a part's printed answer sheet pass axe, keep the quick exit first, and the chooser's
// links open the form with the keyboard alone.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
    BIN, assertNoSanitizerReport, axeCheck, binaryExists, firstTabStop, launchBrowser,
    newGuardedContext, startServer, tmpdir, visit,
} from './lib.mjs';

describe('survey parts', { timeout: 300_000 }, () => {
    let server;
    let browser;

    before(async () => {
        assert.ok(binaryExists(), `${BIN} does not exist: build it first (make asan)`);
        server = await startServer({ args: ['--db', path.join(tmpdir('parts'), 'parts.db')] });
        browser = await launchBrowser();
    }, { timeout: 60_000 });

    after(async () => {
        await browser?.close();
        await server?.stop();
        if (server)
            assertNoSanitizerReport(server);
    }, { timeout: 30_000 });

    test('the chooser, a part\'s form and its answer sheet are axe-clean, with the quick exit first', async () => {
        const guard = await newGuardedContext(browser, { bypassCSP: true });
        try {
            const page = await guard.context.newPage();
            for (const p of ['feedback?c=ABCD2345', 'feedback?c=ABCD2345&part=start', 'feedback/sheet?c=ABCD2345&part=end']) {
                await visit(page, `${server.url}${p}`);
                const first = await firstTabStop(page);
                assert.equal(first?.id, 'exit', `${p}: Tab reaches ${JSON.stringify(first)} first`);
                assert.deepEqual(await axeCheck(page, p), []);
            }
            // The keyboard alone: Tab to the "After the lesson" link and press Enter.
            await visit(page, `${server.url}feedback?c=ABCD2345`);
            let focused = '';
            for (let i = 0; i < 60 && focused !== 'After the lesson'; i++) {
                await page.keyboard.press('Tab');
                focused = await page.evaluate(() => document.activeElement?.textContent?.trim() || '');
            }
            assert.equal(focused, 'After the lesson');
            await Promise.all([page.waitForURL((u) => u.search.includes('part=end')), page.keyboard.press('Enter')]);
            assert.equal(await page.locator('form.survey input[name=part]').inputValue(), 'end');
            assert.deepEqual(guard.problems.map((p) => p.text), []);
        } finally {
            await guard.context.close();
        }
    });
});
