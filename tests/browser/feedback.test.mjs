// The feedback form in a real browser, with JavaScript and without: a pupil who mistypes the
// class code gets the form back with every answer they gave still in it, the problem beside
// the code box and a list at the top whose link takes them there; the quick exit stays the
// first thing Tab reaches and the page passes axe. Once the code is right the answer is
// stored once, however often the thank-you page is reloaded.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
    BIN, assertNoSanitizerReport, axeCheck, binaryExists, firstTabStop, launchBrowser,
    newGuardedContext, startServer, tmpdir, visit,
} from './lib.mjs';
import { sql } from '../http/staff-lib.mjs';

describe('the feedback form', { timeout: 300_000 }, () => {
    let dir;
    let db;
    let server;
    let browser;
    const codes = {}; // a class for each run, made before the server holds the database

    before(async () => {
        assert.ok(binaryExists(), `${BIN} does not exist: build it first (make asan)`);
        dir = tmpdir('feedback');
        db = path.join(dir, 'feedback.db');
        for (const js of [true, false])
            codes[js] = newClass(`Browser ${js}`);
        server = await startServer({ args: ['--db', db] });
        browser = await launchBrowser();
    }, { timeout: 60_000 });

    after(async () => {
        await browser?.close();
        await server?.stop();
        if (server)
            assertNoSanitizerReport(server);
    }, { timeout: 30_000 });

    // A new class; its code as `cohort new` prints it.
    function newClass(label) {
        const r = spawnSync(BIN, ['cohort', 'new', '--label', label, '--db', db], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout.trim().split('\n').pop().trim();
    }

    const stored = (code) => Number(sql(db, `SELECT count(*) FROM answers JOIN cohorts ON cohorts.id = answers.cohort_id WHERE cohorts.code = '${code}'`));

    for (const js of [true, false]) {
        const label = js ? 'with JavaScript' : 'without JavaScript';

        test(`${label}: a mistyped code keeps every answer, and the right one stores it once`, async () => {
            const code = codes[js];
            const guard = await newGuardedContext(browser, { javaScriptEnabled: js, bypassCSP: true });
            try {
                const page = await guard.context.newPage();
                // The page asks which part; the pupil picks the one the teacher named.
                await visit(page, `${server.url}feedback`);
                await Promise.all([page.waitForURL((u) => u.search === '?part=end'), page.click('ul.parts a[href$="part=end"]')]);
                assert.equal(await page.locator('form.survey input[name=part]').inputValue(), 'end');
                // What a pupil does: a code with one letter wrong, some choices, a comment.
                const typo = `${code.slice(0, 7)}${code[7] === 'A' ? 'B' : 'A'}`.toLowerCase();
                const comment = 'The story felt real.\nThe funny replies helped.';
                await page.fill('#f-code', typo);
                await page.check('#f-q-sure-end-end-4');
                await page.check('#f-q-helpful-h-story');
                await page.check('#f-q-helpful-h-plan');
                await page.check('#f-q-law-end-prefer-not-to-say');
                await page.fill('#f-q-comment', comment);
                const [refused] = await Promise.all([
                    page.waitForResponse((r) => r.request().method() === 'POST'),
                    page.click('form.survey button[type=submit]'),
                ]);
                await page.waitForLoadState('load');
                assert.equal(refused.status(), 404);

                // Every answer is still there.
                assert.equal(await page.inputValue('#f-code'), typo);
                for (const id of ['f-q-sure-end-end-4', 'f-q-helpful-h-story', 'f-q-helpful-h-plan', 'f-q-law-end-prefer-not-to-say'])
                    assert.ok(await page.isChecked(`#${id}`), `${id} is still chosen`);
                assert.equal(await page.locator('form.survey input:checked').count(), 4, 'nothing else is chosen');
                assert.equal(await page.inputValue('#f-q-comment'), comment);

                // The problem is beside the code box and is what a screen reader hears with it.
                const described = await page.evaluate(() => {
                    const input = document.getElementById('f-code');
                    return {
                        invalid: input.getAttribute('aria-invalid'),
                        text: input.getAttribute('aria-describedby').split(' ')
                            .map((id) => document.getElementById(id).textContent).join(' '),
                    };
                });
                assert.equal(described.invalid, 'true');
                assert.match(described.text, /class code was not found/);
                assert.ok(await page.locator('.field:has(#f-code) .error-msg').isVisible(), 'the message shows beside the code box');

                // The quick exit is still the first thing Tab reaches; the list at the top
                // comes before the form's fields and its link takes the pupil to the code box.
                const first = await firstTabStop(page);
                assert.equal(first?.id, 'exit', `Tab reaches ${JSON.stringify(first)} first`);
                const order = await page.evaluate(() => {
                    const all = [...document.querySelectorAll('a[href], input, textarea, button')];
                    return [all.indexOf(document.querySelector('#f-error a[href="#f-code"]')), all.indexOf(document.getElementById('f-code'))];
                });
                assert.ok(order[0] >= 0 && order[0] < order[1], `the list's link comes before the code box (${order})`);
                await page.click('#f-error a[href="#f-code"]');
                assert.equal(await page.evaluate(() => document.activeElement.id), 'f-code', 'the link puts the pupil in the code box');

                // axe runs as a script: without JavaScript the same page is checked in the
                // other run.
                if (js)
                    assert.deepEqual(await axeCheck(page, `the refused form (${label})`), []);

                // The right code: the answer is stored, and the browser goes on to the page
                // after it. Reloading that page sends nothing again.
                await page.fill('#f-code', code);
                const [posted] = await Promise.all([
                    page.waitForResponse((r) => r.request().method() === 'POST'),
                    page.click('form.survey button[type=submit]'),
                ]);
                assert.equal(posted.status(), 303);
                await page.waitForURL((u) => u.pathname === '/feedback/sent');
                assert.equal(await page.locator('h1').innerText(), 'Thank you');
                assert.equal(stored(code), 1);
                for (let i = 0; i < 2; i++) {
                    const again = await page.reload();
                    assert.equal(again.status(), 200);
                    assert.equal(again.request().method(), 'GET');
                }
                assert.equal(stored(code), 1, 'a reload stored nothing more');
                const exit = await firstTabStop(page);
                assert.equal(exit?.id, 'exit', 'the thank-you page has the quick exit first');
                if (js)
                    assert.deepEqual(await axeCheck(page, `the thank-you page (${label})`), []);

                // The one refusal (and the browser's note of it) is the only problem seen.
                const expected = /^HTTP 404 for POST .*\/feedback$|^console error on .*\/feedback: Failed to load resource: the server responded with a status of 404/;
                assert.deepEqual(guard.problems.map((p) => p.text).filter((t) => !expected.test(t)), []);
            } finally {
                await guard.context.close();
            }
        });
    }
});
