// Typing in paper answer sheets in Chromium, with the keyboard alone: the cursor starts in
// the first field, Tab goes from question to question, Enter stores the sheet and brings an
// empty form back with the cursor in its first field again and the count. The page, empty
// and with a refused sheet's problems, and the printed start sheets pass axe.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
    BIN, assertNoSanitizerReport, axeCheck, binaryExists, launchBrowser, newGuardedContext,
    startServer, tmpdir, visit,
} from './lib.mjs';

const PASSWORD = 'correct horse battery staple';

describe('paper answer sheets', { timeout: 300_000 }, () => {
    let dir;
    let server;
    let browser;
    let code;

    before(async () => {
        assert.ok(binaryExists(), `${BIN} does not exist: build it first (make asan)`);
        dir = tmpdir('sheets');
        const db = path.join(dir, 'sheets.db');
        const run = (args, input) => {
            const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', input, timeout: 60_000 });
            assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
            return r.stdout;
        };
        run(['staff', 'add', 'lead'], `${PASSWORD}\n`);
        code = run(['cohort', 'new', '--label', 'Year 8 on paper']).trim().split('\n').pop().trim();
        server = await startServer({ args: ['--db', db] });
        browser = await launchBrowser();
    }, { timeout: 60_000 });

    after(async () => {
        await browser?.close();
        await server?.stop();
        if (server)
            assertNoSanitizerReport(server);
        if (dir)
            fs.rmSync(dir, { recursive: true, force: true });
    }, { timeout: 30_000 });

    test('a sheet typed in with the keyboard alone, and the pages axe-clean', async () => {
        const guard = await newGuardedContext(browser, {
            bypassCSP: true,
            allowCookie: (url, value) => new URL(url).pathname.startsWith('/staff/') &&
                value.startsWith('__Host-planpack_session='),
        });
        try {
            const page = await guard.context.newPage();
            await visit(page, `${server.url}feedback/sheet?c=${code}&part=start&n=2`);
            const word = await page.locator('.sheet-word strong').first().innerText();
            assert.match(word, /^[a-z]+ [a-z]+$/);
            assert.deepEqual(await axeCheck(page, 'the start sheets'), []);

            await visit(page, `${server.url}staff/login`);
            await page.getByLabel('Name').fill('lead');
            await page.getByLabel('Password').fill(PASSWORD);
            await Promise.all([page.waitForURL(/\/staff\/$/), page.keyboard.press('Enter')]);
            const form = `${server.url}staff/sheets?class=${code}&part=start`;
            await visit(page, form);
            assert.deepEqual(await axeCheck(page, 'the empty form'), []);
            const focused = () => page.evaluate(() => document.activeElement?.id);
            assert.equal(await focused(), 's-pairing', 'the cursor starts in the first field');

            // One sheet: the word, then the number beside each ticked box, a blank skipped.
            await page.keyboard.type(word);
            for (const typed of ['4', '', '2', '1']) {
                await page.keyboard.press('Tab');
                await page.keyboard.type(typed);
            }
            await Promise.all([page.waitForURL(/entered=1$/), page.keyboard.press('Enter')]);
            assert.match(await page.getByRole('status').innerText(),
                new RegExp(`^1 sheet entered for class ${code}, start part\\.$`));
            assert.equal(await focused(), 's-pairing', 'the next sheet starts in the first field');
            assert.equal(await page.locator('#s-q-sure-start').inputValue(), '');

            // A refused sheet: its problem beside the field, the cursor there, what was typed kept.
            await page.keyboard.press('Tab');
            await page.keyboard.type('9');
            await page.keyboard.press('Enter');
            await page.waitForSelector('#s-problems');
            assert.equal(await focused(), 's-q-sure-start');
            assert.equal(await page.locator('#s-q-sure-start').inputValue(), '9');
            assert.deepEqual(await axeCheck(page, 'a refused sheet'), []);
            // The refusal's 400 is the one error the guard may see.
            assert.deepEqual(guard.problems.map((p) => p.text).filter((t) => !/\b400\b/.test(t)), []);
        } finally {
            await guard.context.close();
        }
    });
});
