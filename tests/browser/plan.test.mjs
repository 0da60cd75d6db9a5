// The plan, with JavaScript, on the served site and the static export, at phone and
// desktop size: building it shows a live plan; it prints with the plan and without the
// exit bar or navigation; it is kept on the device only after opting in, comes back after
// a reload, and goes with "Delete my plan" and with quick exit; it downloads as one small
// self-contained file. And plan text POSTed to /plan appears in none of the server's
// output and in no file it leaves behind.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import {
    DESKTOP, MOBILE, assertNoSanitizerReport, assertPlanShows, fillPlan, findPageOfKind,
    newGuardedContext, shownBySelector, startServer, tmpdir, useSitesAndBrowser, visit,
} from './lib.mjs';

/* Everything this site keeps in the browser's storage, as [key, value] pairs. */
function stored(page) {
    return page.evaluate(() => [
        ...Object.keys(localStorage).map((k) => [`local:${k}`, localStorage.getItem(k)]),
    ]);
}

async function formValues(page) {
    return page.evaluate(() => [...document.querySelectorAll('form[data-plan] input, ' +
        'form[data-plan] textarea')].filter((i) => i.id !== 'keep')
        .map((i) => (i.type === 'checkbox' ? (i.checked ? i.value : '') : i.value))
        .filter(Boolean));
}

// Two tests at a time, each in a browser context of its own (so with storage of its own).
describe('the plan with JavaScript', { timeout: 900_000, concurrency: 2 }, () => {
    const fx = useSitesAndBrowser();

    for (const which of [0, 1]) {
        for (const [viewport, size] of [[MOBILE, 'phone'], [DESKTOP, 'desktop']]) {
            const label = `${which === 0 ? 'served' : 'export (file://)'}, ${size}`;

            test(`${label}: building a plan shows it live, and "Show my plan" shows it`,
                { timeout: 120_000 }, async () => {
                    const site = fx.sites[which];
                    const guard = await newGuardedContext(fx.browser, {
                        viewport, isMobile: viewport === MOBILE, hasTouch: viewport === MOBILE,
                    });
                    try {
                        const page = await guard.context.newPage();
                        const url = await findPageOfKind(page, site, 'page-plan');
                        await visit(page, url);
                        assert.equal(await page.locator('#keep').isChecked(), false,
                            'keep on this device must be off until the young person ticks it');
                        const want = await fillPlan(page, `live${which}${size}`);
                        await assertPlanShows(page.locator('#my-plan'), want, 'the live plan');
                        assert.deepEqual(await stored(page), [],
                            'the plan was stored on the device without opting in');
                        const submit = page.locator('form[data-plan] button[type=submit]').first();
                        if (site.served) {
                            const [res] = await Promise.all([
                                page.waitForResponse((r) => r.request().method() === 'POST'),
                                submit.click(),
                            ]);
                            assert.match(res.headers()['cache-control'] || '', /no-store/,
                                'the plan from POST /plan must be sent with Cache-Control: no-store');
                            await page.waitForLoadState('load');
                            await assertPlanShows(page.locator('#my-plan'), want, 'the POSTed plan');
                        } else {
                            // There is no server behind file://: the plan is made in the page.
                            assert.equal(await submit.count(), 0,
                                'the export offers a submit button, but has no server to send to');
                        }
                        await guard.check(`building a plan (${label})`);
                    } finally {
                        await guard.context.close();
                    }
                });
        }

        const label = which === 0 ? 'served' : 'export (file://)';

        test(`${label}: printing shows the plan without the exit bar or navigation`,
            { timeout: 120_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const page = await guard.context.newPage();
                    const url = await findPageOfKind(page, site, 'page-plan');
                    await visit(page, url);
                    const want = await fillPlan(page, `print${which}`);
                    await page.emulateMedia({ media: 'print' });
                    const shown = [
                        ...await shownBySelector(page, '#exit'),
                        ...await shownBySelector(page, 'nav'),
                        ...await shownBySelector(page, '.plan-tools button'),
                    ].filter((s) => s.shown);
                    assert.deepEqual(shown, [], 'printed although it should not be');
                    await assertPlanShows(page.locator('#my-plan'), want, 'the printed plan');
                    await page.emulateMedia({ media: 'screen' });
                    await guard.check('printing');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: keep on this device (opt-in), reload, then delete`,
            { timeout: 120_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const page = await guard.context.newPage();
                    const url = await findPageOfKind(page, site, 'page-plan');
                    await visit(page, url);
                    const want = await fillPlan(page, `keep${which}`);
                    const values = await formValues(page);
                    await page.locator('label[for=keep]').click();
                    assert.ok(await page.locator('#keep').isChecked());
                    assert.ok((await stored(page)).length >= 1, 'ticking keep stored nothing');

                    await page.reload();
                    assert.deepEqual(await formValues(page), values,
                        'the kept plan did not come back after a reload');
                    assert.ok(await page.locator('#keep').isChecked(), 'keep is unticked after reload');
                    await assertPlanShows(page.locator('#my-plan'), want, 'the kept plan');

                    await page.getByRole('button', { name: /delete my plan/i }).click();
                    assert.deepEqual(await formValues(page), [], 'delete left values in the form');
                    assert.deepEqual(await stored(page), [], 'delete left the plan on the device');
                    const body = await page.locator('#my-plan').innerText();
                    for (const t of want.texts)
                        assert.ok(!body.includes(t), `delete left "${t}" in the plan shown`);
                    await page.reload();
                    assert.deepEqual(await formValues(page), [], 'the plan came back after delete');
                    assert.equal(await page.locator('#keep').isChecked(), false);
                    await guard.check('keep and delete');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: quick exit removes a plan kept on this device`, { timeout: 60_000 },
            async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const page = await guard.context.newPage();
                    const url = await findPageOfKind(page, site, 'page-plan');
                    await visit(page, url);
                    await fillPlan(page, `exit${which}`);
                    await page.locator('label[for=keep]').click();
                    assert.ok((await stored(page)).length >= 1, 'ticking keep stored nothing');
                    const exitUrl = await page.locator('#exit').evaluate((a) => a.href);
                    guard.allow(new URL(exitUrl).origin);
                    await page.locator('#exit').click();
                    await page.waitForURL((u) => u.href.startsWith(exitUrl));
                    const again = await guard.context.newPage();
                    await visit(again, url);
                    assert.deepEqual(await formValues(again), [],
                        'the kept plan was still there after quick exit');
                    assert.deepEqual(await stored(again), [], 'quick exit left data on the device');
                    await guard.check('quick exit with a kept plan');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: private notes on the questions page are never sent or kept`,
            { timeout: 60_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const page = await guard.context.newPage();
                    const url = await findPageOfKind(page, site, 'page-questions');
                    await visit(page, url, { idle: true });
                    const boxes = page.locator('main textarea');
                    assert.ok(await boxes.count() >= 1, 'the questions page has no notes box');
                    const before = guard.requests.length;
                    const marker = `Notes${which}${Date.now().toString(36)}`;
                    for (let i = 0; i < await boxes.count(); i++) {
                        await boxes.nth(i).click();
                        await page.keyboard.type(`${marker} ${i}`);
                        await page.keyboard.press('Enter');
                    }
                    await page.keyboard.press('Tab');
                    await page.waitForTimeout(500);
                    assert.deepEqual(guard.requests.slice(before), [],
                        'typing private notes made the page send requests');
                    const kept = JSON.stringify(await stored(page));
                    assert.ok(!kept.includes(marker), 'the notes were kept on the device');
                    await guard.check('private notes');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: the plan downloads as one small self-contained file`,
            { timeout: 60_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser, { acceptDownloads: true });
                try {
                    const page = await guard.context.newPage();
                    const url = await findPageOfKind(page, site, 'page-plan');
                    await visit(page, url);
                    const want = await fillPlan(page, `dl${which}`);
                    const [download] = await Promise.all([
                        page.waitForEvent('download'),
                        page.getByRole('button', { name: /download/i }).first().click(),
                    ]);
                    const file = await download.path();
                    const html = fs.readFileSync(file, 'utf8');
                    assert.ok(html.length < 30 * 1024, `the download is ${html.length} bytes`);
                    for (const t of [...want.texts])
                        assert.ok(html.includes(t), `the download lacks "${t}"`);
                    assert.doesNotMatch(html, /<script|\bsrc=|<link/i,
                        'the download loads something: it must stand alone');
                    // Opened on its own, it shows the plan and asks for nothing more.
                    const copy = path.join(path.dirname(file), 'my-plan.html');
                    fs.copyFileSync(file, copy);
                    const view = await guard.context.newPage();
                    await view.goto(`file://${copy}`);
                    const shown = await view.locator('body').innerText();
                    for (const t of want.texts)
                        assert.ok(shown.includes(t), `the downloaded plan does not show "${t}"`);
                    await guard.check('download');
                } finally {
                    await guard.context.close();
                }
            });
    }

    test('served: plan text POSTed to /plan appears in no output and no file of the server',
        { timeout: 120_000 }, async (t) => {
            // A server of its own, with its access log on, in a folder of its own.
            const cwd = tmpdir('privacy');
            t.after(() => fs.rmSync(cwd, { recursive: true, force: true }));
            const server = await startServer({ quiet: false, cwd });
            const marker = `Zq${Date.now().toString(36)}Secret`;
            let out = '';
            try {
                for (const js of [false, true]) {
                    const guard = await newGuardedContext(fx.browser, { javaScriptEnabled: js });
                    try {
                        const page = await guard.context.newPage();
                        const url = await findPageOfKind(page,
                            { start: server.url, base: server.url }, 'page-plan');
                        await visit(page, url);
                        const want = await fillPlan(page, `${marker}${js ? 'J' : 'N'}`);
                        await Promise.all([
                            page.waitForResponse((r) => r.request().method() === 'POST'),
                            page.locator('form[data-plan] button[type=submit]').first().click(),
                        ]);
                        await page.waitForLoadState('load');
                        await assertPlanShows(page.locator('#my-plan'), want, 'the POSTed plan');
                        await guard.check('the POST');
                    } finally {
                        await guard.context.close();
                    }
                }
            } finally {
                await server.stop();
                out = server.stdout + server.stderr;
            }
            // What the server left in its working folder (a database, a log) after it stopped.
            const files = [];
            const walk = (d) => {
                for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                    const p = path.join(d, e.name);
                    if (e.isDirectory())
                        walk(p);
                    else
                        files.push(p);
                }
            };
            walk(cwd);
            const leaks = files.filter((f) => fs.readFileSync(f).includes(marker));
            assert.deepEqual(leaks.map((f) => path.relative(cwd, f)), [],
                'files the server wrote that hold plan text');
            assertNoSanitizerReport(server);
            assert.ok(!out.includes(marker) && !out.includes(encodeURIComponent(marker)),
                `plan text appears in the server's output:\n${out}`);
            console.log(`server output while plans were POSTed (${out.length} bytes):\n${
                out.split('\n').slice(0, 12).join('\n')}`);
        });
});
