// The whole journey with JavaScript switched off: every page loads cleanly, quick exit is
// a plain link that leads off the site; on the served site the plan form POSTs to /plan
// and the plan comes back (not cached, printable, also as a wallet card); in the static
// export, which has no server, the plan page offers a blank worksheet that prints.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
    DESKTOP, MOBILE, assertPlanShows, crawl, fillPlan, findPageOfKind, firstTabStop,
    newGuardedContext, pageKey, rel, shownBySelector, useSitesAndBrowser, visit,
} from './lib.mjs';

// Two tests at a time, each in a browser context of its own.
describe('without JavaScript', { timeout: 600_000, concurrency: 2 }, () => {
    const fx = useSitesAndBrowser();

    for (const which of [0, 1]) {
        const label = which === 0 ? 'served' : 'export (file://)';

        test(`${label}: every page loads cleanly and quick exit is a working link`,
            { timeout: 120_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser, { javaScriptEnabled: false });
                try {
                    const pages = await crawl(guard, site.start, site.base);
                    assert.ok(pages.length >= 8, `only ${pages.length} pages without JavaScript`);
                    const page = await guard.context.newPage();
                    await visit(page, site.start);
                    const first = await firstTabStop(page);
                    assert.ok(first && /^https?:/.test(first.href) &&
                        !first.href.startsWith(site.base) && /exit|leave/i.test(first.text),
                    `the first thing Tab reaches is not the quick exit link: ${JSON.stringify(first)}`);
                    guard.allow(new URL(first.href).origin);
                    await page.locator(':focus').click();
                    await page.waitForURL((u) => u.href.startsWith(first.href));
                    await guard.check(`the ${site.name} site without JavaScript`);
                } finally {
                    await guard.context.close();
                }
            });
    }

    for (const [viewport, size] of [[MOBILE, 'phone'], [DESKTOP, 'desktop']]) {
        test(`served, ${size}: the plan form POSTs to /plan and the plan comes back`,
            { timeout: 120_000 }, async () => {
                const site = fx.sites[0];
                const guard = await newGuardedContext(fx.browser, {
                    javaScriptEnabled: false, viewport,
                    isMobile: viewport === MOBILE, hasTouch: viewport === MOBILE,
                });
                try {
                    const page = await guard.context.newPage();
                    const url = await findPageOfKind(page, site, 'page-plan');
                    await visit(page, url);
                    const want = await fillPlan(page, `nojs${size}`);
                    const [res] = await Promise.all([
                        page.waitForResponse((r) => r.request().method() === 'POST'),
                        page.locator('form[data-plan] button[type=submit]').first().click(),
                    ]);
                    assert.equal(pageKey(res.url()), pageKey(url), 'the form did not POST to the plan page');
                    assert.equal(res.status(), 200);
                    assert.match(res.headers()['cache-control'] || '', /no-store/,
                        'the plan must be sent with Cache-Control: no-store');
                    await page.waitForLoadState('load');
                    await assertPlanShows(page.locator('#my-plan'), want, 'the plan from /plan');
                    for (const t of want.titles.slice(0, 1))
                        assert.ok((await page.locator('#my-plan').innerText()).includes(t),
                            `the plan lacks the section title "${t}"`);

                    await page.emulateMedia({ media: 'print' });
                    const shown = [
                        ...await shownBySelector(page, '#exit'),
                        ...await shownBySelector(page, 'nav'),
                    ].filter((s) => s.shown);
                    assert.deepEqual(shown, [], 'printed although it should not be');
                    await assertPlanShows(page.locator('#my-plan'), want, 'the printed plan');
                    await page.emulateMedia({ media: 'screen' });
                    await guard.check(`the POSTed plan (${size})`);
                } finally {
                    await guard.context.close();
                }
            });
    }

    test('served: "Show it as a wallet card" gives the card layout', { timeout: 60_000 },
        async () => {
            const site = fx.sites[0];
            const guard = await newGuardedContext(fx.browser, { javaScriptEnabled: false });
            try {
                const page = await guard.context.newPage();
                const url = await findPageOfKind(page, site, 'page-plan');
                await visit(page, url);
                const want = await fillPlan(page, 'card');
                await Promise.all([
                    page.waitForResponse((r) => r.request().method() === 'POST'),
                    page.getByRole('button', { name: /card/i }).click(),
                ]);
                await page.waitForLoadState('load');
                await assertPlanShows(page.locator('#my-plan'), want, 'the card');
                await page.emulateMedia({ media: 'print' });
                const box = await page.locator('#my-plan').boundingBox();
                // A wallet card is about 85 × 55 mm; allow a folded card up to A6 width.
                assert.ok(box && box.width <= 420,
                    `the printed card is ${box && Math.round(box.width)}px wide: not card-sized`);
                await guard.check('the card');
            } finally {
                await guard.context.close();
            }
        });

    test('export (file://): the plan page offers a blank worksheet that prints',
        { timeout: 120_000 }, async () => {
            const site = fx.sites[1];
            // The sections a plan has, as the served form shows them.
            const titles = await (async () => {
                const g = await newGuardedContext(fx.browser, { javaScriptEnabled: false });
                try {
                    const p = await g.context.newPage();
                    await visit(p, await findPageOfKind(p, fx.sites[0], 'page-plan'));
                    return (await p.locator('form[data-plan] .sec-title').allInnerTexts())
                        .map((t) => t.trim());
                } finally {
                    await g.context.close();
                }
            })();
            assert.ok(titles.length >= 3, `the plan form has only ${titles.length} sections`);

            const guard = await newGuardedContext(fx.browser, { javaScriptEnabled: false });
            try {
                const page = await guard.context.newPage();
                const url = await findPageOfKind(page, site, 'page-plan');
                await visit(page, url);
                assert.equal(await page.locator('form[data-plan]').isVisible(), false,
                    'without JavaScript and without a server the plan form cannot work, ' +
                    'yet it is shown');
                const sheetLinks = page.locator('main a[href*="worksheet"]');
                assert.ok(await sheetLinks.count() >= 1, 'no link to the blank worksheet');
                assert.ok(await sheetLinks.first().isVisible(), 'the worksheet link is hidden');
                await sheetLinks.first().click();
                await page.waitForLoadState('load');
                assert.match(page.url(), /worksheet\.html$/, `the link led to ${rel(page.url(), site.base)}`);
                await page.emulateMedia({ media: 'print' });
                const text = await page.locator('main').innerText();
                const missing = titles.filter((t) => !text.includes(t));
                assert.deepEqual(missing, [], 'plan sections missing from the printed worksheet');
                const shown = [
                    ...await shownBySelector(page, '#exit'),
                    ...await shownBySelector(page, 'nav'),
                ].filter((s) => s.shown);
                assert.deepEqual(shown, [], 'printed although it should not be');
                await guard.check('the worksheet');
            } finally {
                await guard.context.close();
            }
        });
});
