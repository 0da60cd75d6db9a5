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

// The two sites' passes run side by side, each site's in order (its later passes read the
// pages its first one found).
describe('every page', { timeout: 600_000, concurrency: true }, () => {
    const fx = useSitesAndBrowser();
    const found = {};

    for (const which of [0, 1]) {
        const label = which === 0 ? 'served' : 'export (file://)';

        describe(label, { concurrency: 1 }, () => {
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

            // Two passes of the checks below share the visits of an axe pass whose browser
            // context is theirs too, but for the CSP that axe needs bypassed (the load test
            // above fails on any page the CSP refuses something on, so no page looks different
            // for it): each page is then loaded once for both. The results are kept here, and
            // the tests of those checks run their own pass only when the axe pass did not
            // get through every page.
            const shared = { phone: null, focusDesktop: null };
            for (const [size, viewport, scheme, also] of [
                ['desktop', DESKTOP, 'light', 'focusDesktop'],
                ['phone', MOBILE, 'light', 'phone'],
                ['desktop dark', DESKTOP, 'dark', null],
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
                        const problems = [];
                        try {
                            for (const p of pages) {
                                await visit(page, p.url);
                                const name = rel(p.url, fx.sites[which].base) || '(start)';
                                // Before axe, which leaves nothing on the page but its script.
                                if (also === 'phone')
                                    problems.push(...await phoneProblems(page, name));
                                if (also === 'focusDesktop')
                                    problems.push(...await focusProblems(page, fx.sites[which].base,
                                        `${name} (desktop)`));
                                violations.push(...await axeCheck(page, `${name} (${size})`));
                            }
                            await guard.check(`the axe pass (${size})`);
                            if (also)
                                shared[also] = problems;
                            assert.equal(violations.length, 0,
                                `axe violations:\n${violations.join('\n')}`);
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
                    if (shared.phone) {
                        assert.deepEqual(shared.phone, []);
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
                            problems.push(...await phoneProblems(page,
                                rel(p.url, fx.sites[which].base) || '(start)'));
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
                    const sizes = [[MOBILE, 'phone'], [DESKTOP, 'desktop']];
                    if (shared.focusDesktop) {
                        problems.push(...shared.focusDesktop);
                        sizes.pop();
                    }
                    for (const [viewport, size] of sizes) {
                        const guard = await newGuardedContext(fx.browser, { viewport });
                        const page = await guard.context.newPage();
                        try {
                            for (const p of pages) {
                                await visit(page, p.url);
                                problems.push(...await focusProblems(page, fx.sites[which].base,
                                    `${rel(p.url, fx.sites[which].base) || '(start)'} (${size})`));
                            }
                            await guard.check(`the focus pass (${size})`);
                        } finally {
                            await guard.context.close();
                        }
                    }
                    assert.deepEqual(problems, []);
                });

            test(`${label}: the text size control makes ` +
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

            if (which === 0)
                screenshots();
        });
    }

    function screenshots() {
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
    }
});

/* What a phone user would find wrong with the page now loaded, one line a problem. */
async function phoneProblems(page, name) {
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
    const problems = [];
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
    return problems;
}

/*
 * On the page now loaded: quick exit must be the first thing Tab reaches on a pupil's page,
 * and no focused element may be hidden. One line a problem.
 */
async function focusProblems(page, base, name) {
    const problems = [];
    if (await audienceOf(page, base) === 'pupil') {
        const first = await firstTabStop(page);
        if (!first || !/^https?:/.test(first.href) || first.href.startsWith(base) ||
            !/exit|leave/i.test(first.text))
            problems.push(`${name}: the first thing Tab reaches is not ` +
                `the quick exit link: ${JSON.stringify(first)}`);
    }
    problems.push(...(await hiddenFocus(page)).map((h) => `${name}: ${h}`));
    return problems;
}

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
