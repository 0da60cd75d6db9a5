// Every page of the served site and of the static export (opened from file://), found by
// following links from the start page: loads with no failed request, no request to another
// host, no console error and no cookie; passes axe-core (WCAG 2.2 AA tags) at phone and
// desktop sizes and in dark mode; fits a phone screen; keeps focus visible; and a few pages
// are photographed for a person to look at.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
    DESKTOP, MOBILE, SCREENS, audienceOf, axeCheck, crawl, fillPlan, firstTabStop,
    newGuardedContext, pageKey, rel, screenshot, useSitesAndBrowser, visit,
} from './lib.mjs';

describe('every page', { timeout: 600_000 }, () => {
    const fx = useSitesAndBrowser();
    const found = {};

    for (const which of [0, 1]) {
        const label = which === 0 ? 'served' : 'export (file://)';

        test(`${label}: every page loads with nothing from elsewhere, no error, no cookie`,
            { timeout: 120_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser);
                try {
                    const pages = await crawl(guard, site.start, site.base);
                    found[which] = pages;
                    await guard.check(`the ${site.name} site`);
                    const names = pages.map((p) => rel(p.url, site.base) || '(start)');
                    console.log(`${site.name}: ${pages.length} pages: ${names.join(', ')}`);
                    assert.ok(pages.length >= 8,
                        `only ${pages.length} pages reachable from the start page: ${names}`);
                    if (!site.served) {
                        // From file:// a link to a folder shows a file listing, not a page.
                        const bad = [];
                        for (const p of pages)
                            for (const l of p.links)
                                if (l.href.startsWith(site.base) &&
                                    !/\.html(#.*)?$/.test(l.href) && !/^#/.test(l.raw) &&
                                    !/\.(svg|png|css|txt)$/.test(l.href))
                                    bad.push(`${rel(p.url, site.base)}: ${l.raw}`);
                        assert.deepEqual(bad, [], 'links that do not work from file://');
                    }
                    const requested = guard.requests.filter((r) => !r.url.startsWith('file:') &&
                        !r.url.startsWith(site.base));
                    assert.deepEqual(requested, [], 'requests outside the site');
                } finally {
                    await guard.context.close();
                }
            });

        for (const [size, viewport, scheme] of [
            ['desktop', DESKTOP, 'light'],
            ['phone', MOBILE, 'light'],
            ['desktop dark', DESKTOP, 'dark'],
        ]) {
            test(`${label}: axe finds no WCAG 2.2 AA violation on any page (${size})`,
                { timeout: 180_000 }, async (t) => {
                    const pages = found[which];
                    if (!pages) {
                        t.skip('no pages: the load test failed');
                        return;
                    }
                    // The pages' CSP refuses inline script, so axe needs the CSP bypassed.
                    const guard = await newGuardedContext(fx.browser, {
                        viewport, bypassCSP: true, colorScheme: scheme,
                        isMobile: viewport === MOBILE, hasTouch: viewport === MOBILE,
                    });
                    const page = await guard.context.newPage();
                    const violations = [];
                    try {
                        for (const p of pages) {
                            await visit(page, p.url);
                            violations.push(...await axeCheck(page,
                                `${rel(p.url, fx.sites[which].base) || '(start)'} (${size})`));
                        }
                        assert.equal(violations.length, 0,
                            `axe violations:\n${violations.join('\n')}`);
                        await guard.check(`the axe pass (${size})`);
                    } finally {
                        await guard.context.close();
                    }
                });
        }

        test(`${label}: every page fits a phone screen and has readable text`,
            { timeout: 120_000 }, async (t) => {
                const pages = found[which];
                if (!pages) {
                    t.skip('no pages: the load test failed');
                    return;
                }
                const guard = await newGuardedContext(fx.browser, {
                    viewport: MOBILE, isMobile: true, hasTouch: true,
                });
                const page = await guard.context.newPage();
                const problems = [];
                try {
                    for (const p of pages) {
                        await visit(page, p.url);
                        const name = rel(p.url, fx.sites[which].base) || '(start)';
                        const m = await page.evaluate(() => {
                            const small = [];
                            for (const el of document.querySelectorAll('main p, main li')) {
                                const px = parseFloat(getComputedStyle(el).fontSize);
                                if (px < 16 && el.offsetParent)
                                    small.push(`${px}px: ${el.textContent.trim().slice(0, 40)}`);
                            }
                            return {
                                scroll: document.documentElement.scrollWidth,
                                width: window.innerWidth,
                                small: small.slice(0, 3),
                                hasMain: !!document.querySelector('main'),
                                h1: document.querySelectorAll('h1').length,
                                lang: document.documentElement.lang,
                            };
                        });
                        if (m.scroll > m.width)
                            problems.push(`${name}: scrolls sideways on a phone (${m.scroll}px wide` +
                                ` in a ${m.width}px screen)`);
                        for (const s of m.small)
                            problems.push(`${name}: body text below 16px: ${s}`);
                        if (!m.hasMain)
                            problems.push(`${name}: no <main>`);
                        if (m.h1 !== 1)
                            problems.push(`${name}: ${m.h1} <h1> elements (want exactly one)`);
                        if (!m.lang)
                            problems.push(`${name}: <html> has no lang`);
                    }
                    assert.deepEqual(problems, []);
                    await guard.check('the phone-size pass');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: quick exit comes first on every pupil page and focus is never hidden`,
            { timeout: 240_000 }, async (t) => {
                const pages = found[which];
                if (!pages) {
                    t.skip('no pages: the load test failed');
                    return;
                }
                const problems = [];
                for (const [viewport, size] of [[MOBILE, 'phone'], [DESKTOP, 'desktop']]) {
                    const guard = await newGuardedContext(fx.browser, { viewport });
                    const page = await guard.context.newPage();
                    try {
                        for (const p of pages) {
                            await visit(page, p.url);
                            const name = `${rel(p.url, fx.sites[which].base) || '(start)'} (${size})`;
                            if (await audienceOf(page, fx.sites[which].base) === 'pupil') {
                                const first = await firstTabStop(page);
                                if (!first || !/^https?:/.test(first.href) ||
                                    first.href.startsWith(fx.sites[which].base) ||
                                    !/exit|leave/i.test(first.text))
                                    problems.push(`${name}: the first thing Tab reaches is not ` +
                                        `the quick exit link: ${JSON.stringify(first)}`);
                            }
                            problems.push(...(await hiddenFocus(page)).map((h) => `${name}: ${h}`));
                        }
                        await guard.check(`the focus pass (${size})`);
                    } finally {
                        await guard.context.close();
                    }
                }
                assert.deepEqual(problems, []);
            });
    }

    for (const which of [0, 1]) {
        test(`${which === 0 ? 'served' : 'export (file://)'}: the text size control makes ` +
            'the text larger and fits the phone screen', { timeout: 60_000 }, async () => {
            const site = fx.sites[which];
            const guard = await newGuardedContext(fx.browser, { viewport: MOBILE, isMobile: true });
            try {
                const page = await guard.context.newPage();
                await visit(page, site.start);
                const control = page.getByRole('button', { name: /text/i });
                assert.equal(await control.count(), 1, 'no text size control (one button)');
                const size = () => page.locator('main p').first()
                    .evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
                const before = await size();
                await control.click();
                const after = await size();
                assert.ok(after >= before * 1.15,
                    `text grew from ${before}px to ${after}px only`);
                assert.equal(await control.getAttribute('aria-pressed'), 'true');
                const wide = await page.evaluate(() =>
                    document.documentElement.scrollWidth > window.innerWidth);
                assert.equal(wide, false, 'with larger text the page scrolls sideways on a phone');
                await guard.check('the text size control');
            } finally {
                await guard.context.close();
            }
        });
    }

    test('served: screenshots at phone and desktop size', { timeout: 180_000 }, async (t) => {
        const pages = found[0];
        if (!pages) {
            t.skip('no pages: the load test failed');
            return;
        }
        const base = fx.sites[0].base;
        fs.mkdirSync(SCREENS, { recursive: true });
        for (const f of fs.readdirSync(SCREENS))
            if (f.endsWith('.png'))
                fs.rmSync(path.join(SCREENS, f));
        // Every page in the navigation, and a story step and an ending.
        const nav = new Set(pages[0].links.filter((l) => l.inNav).map((l) => pageKey(l.href)));
        const pick = pages.filter((p) => nav.has(p.url) || p.url === pages[0].url);
        const steps = pages.filter((p) => !nav.has(p.url) &&
            p.links.some((l) => l.inMain && rel(l.href, base) && nav.has(pageKey(l.href))));
        pick.push(...steps.slice(0, 2));
        const shots = [];
        for (const [viewport, size, scheme] of [[MOBILE, 'phone', 'light'],
            [DESKTOP, 'desktop', 'light'], [MOBILE, 'phone-dark', 'dark']]) {
            const guard = await newGuardedContext(fx.browser, {
                viewport, isMobile: viewport === MOBILE, hasTouch: viewport === MOBILE,
                colorScheme: scheme,
            });
            const page = await guard.context.newPage();
            try {
                for (const p of scheme === 'dark' ? pick.slice(0, 3) : pick) {
                    await visit(page, p.url);
                    shots.push(await screenshot(page, `${size}-${rel(p.url, base) || 'start'}`));
                }
                // The plan page filled in, on screen and as it prints.
                const plan = pick.find((p) => /plan$/.test(rel(p.url, base)));
                if (plan && scheme === 'light') {
                    await visit(page, plan.url);
                    await fillPlan(page, 'Sample');
                    await page.locator('#my-plan').scrollIntoViewIfNeeded();
                    shots.push(await screenshot(page, `${size}-plan-filled`));
                    await page.emulateMedia({ media: 'print' });
                    shots.push(await screenshot(page, `${size}-plan-print`));
                    await page.emulateMedia({ media: 'screen' });
                }
                await guard.check('the screenshots');
            } finally {
                await guard.context.close();
            }
        }
        console.log(`screenshots in ${SCREENS}: ${shots.map((f) => path.basename(f)).join(', ')}`);
    });
});

/*
 * Focuses every element that Tab reaches, in document order, as Tab would (scrolling it
 * into view), and returns a line for each one that something else covers entirely, such
 * as a fixed quick-exit button (WCAG 2.4.11, focus not obscured). One round trip a page.
 */
async function hiddenFocus(page) {
    return page.evaluate(() => {
        const out = [];
        const sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
        const tabbable = [...document.querySelectorAll(sel)].filter((el) =>
            el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0 &&
            getComputedStyle(el).visibility !== 'hidden');
        for (const el of tabbable) {
            el.focus();
            if (document.activeElement !== el)
                continue;
            const b = el.getBoundingClientRect();
            const vw = window.innerWidth;
            const vh = window.innerHeight;
            const x0 = Math.max(b.left, 0);
            const x1 = Math.min(b.right, vw);
            const y0 = Math.max(b.top, 0);
            const y1 = Math.min(b.bottom, vh);
            const what = el.outerHTML.slice(0, 100);
            if (x1 <= x0 || y1 <= y0) {
                out.push(`focused element is off screen: ${what}`);
                continue;
            }
            const pts = [[(x0 + x1) / 2, (y0 + y1) / 2], [x0 + 1, y0 + 1], [x1 - 1, y0 + 1],
                [x0 + 1, y1 - 1], [x1 - 1, y1 - 1]];
            const mine = (hit) => hit && (hit === el || el.contains(hit) || hit.contains(el) ||
                (el.labels && [...el.labels].some((l) => l.contains(hit))));
            if (!pts.some(([x, y]) => mine(document.elementFromPoint(x, y)))) {
                const hit = document.elementFromPoint((x0 + x1) / 2, (y0 + y1) / 2);
                out.push(`focused element is hidden under ${hit ? hit.outerHTML.slice(0, 80) : '?'}: ${what}`);
            }
        }
        document.activeElement?.blur?.();
        window.scrollTo(0, 0);
        return out;
    });
}
