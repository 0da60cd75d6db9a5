// The layout of the pupil pages, on the served site and the static export (file://): the
// top bar holds quick exit, stays in view and never lies over what the browser scrolls to;
// on a phone it is one short row; on a desktop it lines up with the page's column and shows
// the pages in order; the plan's preview stands beside the form on a desktop and is one
// link away on a phone; a plan section's heading sits below its line, close to its hint;
// and the printed plan names itself once.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
    DESKTOP, MOBILE, fillPlan, findPageOfKind, newGuardedContext, rel, useSitesAndBrowser,
    visit,
} from './lib.mjs';

/* Where the parts of the page chrome are, in CSS pixels of the viewport. */
async function chrome(page) {
    return page.evaluate(() => {
        const box = (el) => {
            if (!el || !el.getClientRects().length)
                return null;
            const b = el.getBoundingClientRect();
            return { top: b.top, bottom: b.bottom, left: b.left, right: b.right, height: b.height };
        };
        const bar = document.querySelector('header');
        const main = document.querySelector('main');
        const cs = getComputedStyle(main);
        const m = main.getBoundingClientRect();
        return {
            bar: box(bar),
            barBackground: getComputedStyle(bar).backgroundColor,
            exit: box(document.getElementById('exit')),
            brand: box(bar.querySelector('a[href]:not(#exit):not([href^="#"])')),
            size: box(document.getElementById('text-size')),
            column: {
                left: m.left + parseFloat(cs.paddingLeft),
                right: m.right - parseFloat(cs.paddingRight),
            },
            h1: box(main.querySelector('h1')),
        };
    });
}

const inside = (a, b) => a && b && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5 &&
    a.left >= b.left - 0.5 && a.right <= b.right + 0.5;

// Two tests at a time, each in a browser context of its own.
describe('page layout', { timeout: 600_000, concurrency: 2 }, () => {
    const fx = useSitesAndBrowser();

    for (const which of [0, 1]) {
        const label = which === 0 ? 'served' : 'export (file://)';

        test(`${label}, phone: the top bar is one short row, stays in view and covers nothing ` +
            'that the browser scrolls to', { timeout: 120_000 }, async () => {
            const site = fx.sites[which];
            const guard = await newGuardedContext(fx.browser, {
                viewport: MOBILE, isMobile: true, hasTouch: true,
            });
            try {
                const page = await guard.context.newPage();
                const urls = [site.start,
                    await findPageOfKind(page, site, 'page-strategies'),
                    await findPageOfKind(page, site, 'page-plan', { not: 'page-worksheet' }),
                    await findPageOfKind(page, site, 'page-support')];
                const problems = [];
                for (const url of urls) {
                    await visit(page, url);
                    const name = rel(url, site.base) || '(start)';
                    const c = await chrome(page);
                    if (c.bar.height > 64)
                        problems.push(`${name}: the top bar is ${c.bar.height}px tall (want one row)`);
                    for (const [what, b] of [['quick exit', c.exit], ['site name', c.brand],
                        ['text size control', c.size]])
                        if (!inside(b, c.bar))
                            problems.push(`${name}: the ${what} is not within the top bar`);
                    if (!/^rgb\(/.test(c.barBackground))
                        problems.push(`${name}: the top bar has no solid background (${c.barBackground})`);
                    // Everything the browser brings into view (a link to a heading, focus)
                    // lands below the bar, which is still at the top of the screen.
                    const covered = await page.evaluate(() => {
                        const out = [];
                        const bar = document.querySelector('header');
                        const exit = document.getElementById('exit');
                        for (const el of document.querySelectorAll('main h2, main h3, main p, ' +
                            'main button, main a, main input, main textarea')) {
                            if (!el.getClientRects().length)
                                continue;
                            el.scrollIntoView({ block: 'start' });
                            const b = bar.getBoundingClientRect();
                            const e = el.getBoundingClientRect();
                            const x = exit.getBoundingClientRect();
                            if (b.top !== 0 || x.bottom > b.bottom)
                                out.push(`the top bar left the screen at ${el.outerHTML.slice(0, 60)}`);
                            else if (e.top < b.bottom - 0.5 &&
                                window.scrollY + 1 < document.documentElement.scrollHeight - innerHeight)
                                out.push(`under the top bar: ${el.outerHTML.slice(0, 80)}`);
                        }
                        window.scrollTo(0, 0);
                        return out.slice(0, 3);
                    });
                    problems.push(...covered.map((t) => `${name}: ${t}`));
                }
                assert.deepEqual(problems, []);
                await guard.check('the phone top bar');
            } finally {
                await guard.context.close();
            }
        });

        test(`${label}, desktop: the top bar lines up with the page and the pages are listed ` +
            'in order', { timeout: 120_000 }, async () => {
            const site = fx.sites[which];
            const guard = await newGuardedContext(fx.browser, { viewport: DESKTOP });
            try {
                const page = await guard.context.newPage();
                const urls = [site.start,
                    await findPageOfKind(page, site, 'page-story'),
                    await findPageOfKind(page, site, 'page-plan', { not: 'page-worksheet' })];
                const problems = [];
                for (const url of urls) {
                    await visit(page, url);
                    const name = rel(url, site.base) || '(start)';
                    const c = await chrome(page);
                    if (Math.abs(c.brand.left - c.column.left) > 1 || Math.abs(c.h1.left - c.column.left) > 1)
                        problems.push(`${name}: the site name starts at ${c.brand.left}px, the page at ` +
                            `${c.column.left}px`);
                    if (Math.abs(c.exit.right - c.column.right) > 1)
                        problems.push(`${name}: quick exit ends at ${c.exit.right}px, the page at ` +
                            `${c.column.right}px`);
                    const nav = await page.evaluate(() => {
                        const main = document.querySelector('main').getBoundingClientRect();
                        // The language switcher is a landmark of its own, named by its label;
                        // the page navigation is the one other above the page.
                        const above = [...document.querySelectorAll('nav')].filter((n) =>
                            n.getClientRects().length && n.getBoundingClientRect().bottom <= main.top);
                        const langs = above.filter((n) => n.classList.contains('langs'));
                        if (langs.some((n) => !n.getAttribute('aria-label')))
                            return { count: -1 };
                        const navs = above.filter((n) => !n.classList.contains('langs'));
                        if (navs.length !== 1)
                            return { count: navs.length };
                        const links = [...navs[0].querySelectorAll('a')];
                        const here = (a) => a.href.replace(/#.*/, '') === location.href.replace(/#.*/, '');
                        return {
                            count: 1,
                            label: navs[0].getAttribute('aria-label') || '',
                            hrefs: links.map((a) => a.href),
                            current: links.filter((a) => a.getAttribute('aria-current') === 'page')
                                .map((a) => a.href),
                            mine: links.filter(here).map((a) => a.href),
                            footer: [...document.querySelectorAll('footer nav a')].map((a) => a.href),
                        };
                    });
                    if (nav.count === -1) {
                        problems.push(`${name}: the language switcher has no label`);
                        continue;
                    }
                    if (nav.count !== 1) {
                        problems.push(`${name}: ${nav.count} page navigation landmarks above the page (want 1)`);
                        continue;
                    }
                    if (!nav.label)
                        problems.push(`${name}: the page navigation has no label`);
                    if (nav.hrefs.length < 4)
                        problems.push(`${name}: only ${nav.hrefs.length} pages in the page navigation`);
                    const order = nav.hrefs.map((h) => nav.footer.indexOf(h));
                    if (order.some((i, k) => i < 0 || (k && i < order[k - 1])))
                        problems.push(`${name}: the page navigation is not the pages in order`);
                    assert.deepEqual(nav.current, nav.mine, `${name}: aria-current is not on this page's link`);
                }
                assert.deepEqual(problems, []);
                await guard.check('the desktop top bar');
            } finally {
                await guard.context.close();
            }
        });

        test(`${label}: the plan preview is beside the form on a desktop and one link away ` +
            'on a phone', { timeout: 120_000 }, async () => {
            const site = fx.sites[which];
            for (const [viewport, size] of [[DESKTOP, 'desktop'], [MOBILE, 'phone']]) {
                const guard = await newGuardedContext(fx.browser, {
                    viewport, isMobile: viewport === MOBILE, hasTouch: viewport === MOBILE,
                });
                try {
                    const page = await guard.context.newPage();
                    await visit(page, await findPageOfKind(page, site, 'page-plan',
                        { not: 'page-worksheet' }));
                    const where = () => page.evaluate(() => {
                        const b = (el) => el.getBoundingClientRect();
                        return {
                            plan: b(document.getElementById('my-plan')),
                            form: b(document.querySelector('form[data-plan]')),
                            bar: b(document.querySelector('header')),
                            height: innerHeight,
                        };
                    });
                    const jump = page.locator('main a[href="#my-plan"]');
                    if (size === 'desktop') {
                        let w = await where();
                        assert.ok(w.plan.left >= w.form.right, `${size}: the preview is not beside the form`);
                        assert.ok(w.plan.top < w.height, `${size}: the preview is not on the first screen`);
                        await page.locator('form[data-plan] fieldset').last().scrollIntoViewIfNeeded();
                        w = await where();
                        assert.ok(w.plan.top >= w.bar.bottom && w.plan.top < w.height / 2,
                            `${size}: the preview scrolled away from beside the form (top ${w.plan.top}px)`);
                        assert.equal(await jump.isVisible(), false,
                            `${size}: a link to the preview that stands beside the form`);
                    } else {
                        assert.ok(await jump.isVisible(), `${size}: no link to the plan preview`);
                        await jump.click();
                        const w = await where();
                        assert.ok(w.plan.top >= w.bar.bottom - 0.5 && w.plan.top < w.height / 2,
                            `${size}: the link did not bring the preview into view below the top bar ` +
                            `(top ${w.plan.top}px, bar ${w.bar.bottom}px)`);
                    }
                    await guard.check(`the plan preview (${size})`);
                } finally {
                    await guard.context.close();
                }
            }
        });

        test(`${label}: each plan section's heading sits below its line, close to its hint`,
            { timeout: 60_000 }, async () => {
                const site = fx.sites[which];
                const guard = await newGuardedContext(fx.browser, { viewport: MOBILE, isMobile: true });
                try {
                    const page = await guard.context.newPage();
                    await visit(page, await findPageOfKind(page, site, 'page-plan',
                        { not: 'page-worksheet' }));
                    const bad = await page.evaluate(() => [...document.querySelectorAll(
                        'form[data-plan] fieldset')].flatMap((f) => {
                        const lg = f.querySelector('legend');
                        const next = lg?.nextElementSibling;
                        if (!lg || !next)
                            return [];
                        const fb = f.getBoundingClientRect();
                        const lb = lg.getBoundingClientRect();
                        const line = parseFloat(getComputedStyle(f).borderTopWidth);
                        const out = [];
                        if (line && lb.top < fb.top + line)
                            out.push(`"${lg.textContent}" is drawn across its section's line`);
                        const gap = next.getBoundingClientRect().top - lb.bottom;
                        if (gap > 16)
                            out.push(`"${lg.textContent}": ${gap}px between the heading and what follows`);
                        return out;
                    }));
                    assert.deepEqual(bad, []);
                    await guard.check('the plan sections');
                } finally {
                    await guard.context.close();
                }
            });

        test(`${label}: the printed plan says "My plan" once`, { timeout: 60_000 }, async () => {
            const site = fx.sites[which];
            const guard = await newGuardedContext(fx.browser);
            try {
                const page = await guard.context.newPage();
                await visit(page, await findPageOfKind(page, site, 'page-plan', { not: 'page-worksheet' }));
                await fillPlan(page, `print-title${which}`);
                const headings = () => page.evaluate(() => [...document.querySelectorAll(
                    'h1, h2')].filter((h) => h.getClientRects().length).map((h) => h.textContent.trim()));
                const title = await page.locator('#my-plan h2').innerText();
                await page.emulateMedia({ media: 'print' });
                let shown = await headings();
                assert.deepEqual(shown, [title], 'the headings printed with the plan');
                await page.emulateMedia({ media: 'screen' });
                if (site.served) {
                    await Promise.all([
                        page.waitForResponse((r) => r.request().method() === 'POST'),
                        page.locator('form[data-plan] button[type=submit]').first().click(),
                    ]);
                    await page.waitForLoadState('load');
                    await page.emulateMedia({ media: 'print' });
                    shown = await headings();
                    assert.deepEqual(shown, [title], 'the headings printed with the plan from /plan');
                    await page.emulateMedia({ media: 'screen' });
                }
                await guard.check('the printed plan');
            } finally {
                await guard.context.close();
            }
        });
    }
});
