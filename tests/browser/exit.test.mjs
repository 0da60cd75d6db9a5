// Quick exit, on the served site and the static export: the control is the first thing Tab
// reaches on every pupil page; clicking it blanks the page and leaves with
// location.replace, so Back does not return; Shift pressed three times within five seconds
// leaves the same way; Shift with another key, any other key, or a pause of more than five
// seconds starts the count again; and the count is announced to screen readers, in Welsh on
// a Welsh page. The exit destination is answered by a local stub so that nothing leaves the
// machine.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
    discover, eachAtOnce, firstTabStop, newGuardedContext, pageKey, rel, useSitesAndBrowser, visit,
} from './lib.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * Opens url in a fresh tab, finds the exit link by Tab (named by word, the page language's
 * word for it), and stubs its destination.
 */
async function openWithExit(guard, url, base, { delayMs = 0, word = /exit|leave/i } = {}) {
    const page = await guard.context.newPage();
    await visit(page, url);
    const first = await firstTabStop(page);
    const name = rel(url, base) || '(start)';
    assert.ok(first && /^https?:/.test(first.href) && !first.href.startsWith(base) &&
        word.test(first.text),
    `${name}: the first thing Tab reaches is not the quick exit link: ${JSON.stringify(first)}`);
    guard.allow(new URL(first.href).origin, { delayMs });
    return { page, exitUrl: first.href, name };
}

/* Asserts that the page has left for exitUrl and that Back does not come back to from. */
async function assertLeftFor(page, exitUrl, from, name) {
    await page.waitForURL((u) => u.href.startsWith(exitUrl), { timeout: 5_000 });
    await page.goBack({ timeout: 5_000 }).catch(() => null);
    const now = page.url();
    assert.notEqual(pageKey(now), pageKey(from),
        `${name}: Back returned to the page that was left (${now}); quick exit must use ` +
        'location.replace');
}

/* In the page: true when nothing of the page is showing any more. */
function isBlank() {
    const main = document.querySelector('main');
    const shown = (el) => el && el.getClientRects().length > 0 &&
        getComputedStyle(el).visibility !== 'hidden' &&
        parseFloat(getComputedStyle(el).opacity) > 0;
    return !shown(main) || !shown(document.body) || !(main.innerText || '').trim();
}

async function pressShift(page, times) {
    for (let i = 0; i < times; i++) {
        await page.keyboard.press('Shift');
        await sleep(120);
    }
}

/* True when the page is still the one that was opened after waiting ms. */
async function stays(page, url, ms) {
    await sleep(ms);
    return pageKey(page.url()) === pageKey(url);
}

// Two tests at a time, each in a browser context of its own: most of their time is waiting,
// for the late stub or for the Shift count's five seconds to pass.
describe('quick exit', { timeout: 600_000, concurrency: 2 }, () => {
    const fx = useSitesAndBrowser();

    for (const which of [0, 1]) {
        const label = which === 0 ? 'served' : 'export (file://)';

        // One page in Welsh stands for them all (every one has the same quick exit, which
        // tests/browser/site.test.mjs finds first on each): the button and Shift work there,
        // and the count is announced in Welsh.
        test(`${label}: on a page in Welsh, the button and Shift pressed three times leave`,
            { timeout: 60_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const start = await guard.context.newPage();
                    await visit(start, site.start);
                    const cy = await start.getAttribute('.langs a[hreflang="cy"]', 'href');
                    assert.ok(cy, 'the start page has no link to its Welsh page');
                    const url = new URL(cy, start.url()).href;
                    await start.close();
                    const word = /gadael/i;
                    let { page, exitUrl, name } = await openWithExit(guard, url, site.base, { word });
                    assert.equal(await page.evaluate(() => document.documentElement.lang), 'cy');
                    await page.locator(':focus').click();
                    await assertLeftFor(page, exitUrl, url, `${name}, the button`);
                    await page.close();
                    ({ page, exitUrl, name } = await openWithExit(guard, url, site.base, { word }));
                    await page.evaluate(() => document.activeElement?.blur());
                    await pressShift(page, 1);
                    const said = await page.locator('#exit-status').textContent();
                    assert.match(said, /Pwysaist ti Shift/,
                        `${name}: one Shift press was announced as "${said}", not in Welsh`);
                    await pressShift(page, 2);
                    await assertLeftFor(page, exitUrl, url, `${name}, Shift`);
                    await guard.check('quick exit in Welsh');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: the button blanks the page and leaves without a Back entry, on every ` +
            'pupil page', { timeout: 180_000 }, async () => {
            const site = fx.sites[which];
            const guard = await newGuardedContext(fx.browser);
            try {
                const pages = await discover(site.start, site.base);
                const pupil = pages.filter((p) => p.audience === 'pupil').map((p) => p.url);
                assert.ok(pupil.length >= 5, `only ${pupil.length} pupil pages found`);
                // Three pages at a time, each in a tab of its own: most of each one's time is
                // the wait for the late stub.
                await eachAtOnce(pupil, 3, async (url) => {
                    // The stub answers late, so the page can be seen blanked before it goes.
                    const { page, exitUrl, name } =
                        await openWithExit(guard, url, site.base, { delayMs: 500 });
                    await page.locator(':focus').click();
                    // Blank within 250 ms of the click: asked as soon as it is, else then.
                    await page.waitForFunction(isBlank, null, { timeout: 250 }).catch(() => null);
                    const blank = await page.evaluate(isBlank).catch(() => true /* already gone */);
                    assert.ok(blank, `${name}: the page was still showing while quick exit left`);
                    await assertLeftFor(page, exitUrl, url, name);
                    await page.close();
                });
                await guard.check(`quick exit on the ${site.name} site`);
            } finally {
                await guard.context.close();
            }
        });

        test(`${label}: Enter on the exit link (keyboard only) leaves too`, { timeout: 60_000 },
            async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const { page, exitUrl, name } = await openWithExit(guard, site.start, site.base);
                    await page.keyboard.press('Enter');
                    await assertLeftFor(page, exitUrl, site.start, name);
                    await guard.check('quick exit by keyboard');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: Shift pressed three times leaves, and the count is announced`,
            { timeout: 60_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const { page, exitUrl, name } = await openWithExit(guard, site.start, site.base);
                    await page.evaluate(() => document.activeElement?.blur());
                    const live = () => page.evaluate(() =>
                        [...document.querySelectorAll('[role=status], [aria-live]')]
                            .map((e) => e.textContent.trim()).join(' | '));
                    const before = await live();
                    await pressShift(page, 1);
                    const afterOne = await live();
                    assert.notEqual(afterOne, before,
                        `${name}: one Shift press changed no live region (screen readers hear ` +
                        `nothing): before "${before}", after "${afterOne}"`);
                    await pressShift(page, 2);
                    await assertLeftFor(page, exitUrl, site.start, name);
                    await guard.check('quick exit by Shift');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: Shift with another key, or another key, starts the count again`,
            { timeout: 60_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const { page, exitUrl, name } = await openWithExit(guard, site.start, site.base);
                    await page.evaluate(() => document.activeElement?.blur());
                    // Shift, Shift, then another key: the third Shift is the first of a new count.
                    await pressShift(page, 2);
                    await page.keyboard.press('KeyA');
                    await pressShift(page, 1);
                    assert.ok(await stays(page, site.start, 1500),
                        `${name}: Shift, Shift, A, Shift left the page; another key must reset`);
                    // Shift held while typing a capital letter is not a press of Shift alone.
                    await pressShift(page, 1);
                    await page.keyboard.down('Shift');
                    await page.keyboard.press('KeyB');
                    await page.keyboard.up('Shift');
                    await pressShift(page, 1);
                    assert.ok(await stays(page, site.start, 1500),
                        `${name}: Shift, Shift, Shift+B, Shift left the page; Shift used with ` +
                        'another key (typing a capital letter) must not count as a press: count ' +
                        'Shift when it is released with no other key pressed in between');
                    await pressShift(page, 3);
                    await assertLeftFor(page, exitUrl, site.start, name);
                    await guard.check('the Shift count');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: three Shift presses spread over more than five seconds do not leave`,
            { timeout: 60_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const { page, exitUrl, name } = await openWithExit(guard, site.start, site.base);
                    await page.evaluate(() => document.activeElement?.blur());
                    await pressShift(page, 2);
                    await sleep(5_300);
                    await pressShift(page, 1);
                    assert.ok(await stays(page, site.start, 1200),
                        `${name}: a third Shift 5.5 s after the first left the page`);
                    await pressShift(page, 2);
                    await assertLeftFor(page, exitUrl, site.start, name);
                    await guard.check('the five-second window');
                } finally {
                    await guard.context.close();
                }
            });
    }
});
