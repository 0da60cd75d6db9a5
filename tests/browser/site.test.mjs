// Every page of the served site and of the static export (opened from file://), found by
// following links from the start page: loads with no failed request, no request to another
// host, no console error and no cookie; passes axe-core (WCAG 2.2 AA tags) at phone and
// desktop sizes and in dark mode; fits a phone screen; keeps focus visible; and a few pages
// are photographed for a person to look at. The served site's pages in Welsh (/cy/), the
// same page of each English one as its language switcher links it, are checked at phone
// size too: in Welsh, with the switcher back, the quick exit first and no axe violation.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
    DESKTOP, MOBILE, SCREENS, axeCheck, crawl, fillPlan, focusProblems, inSite, links,
    newGuardedContext, pageKey, phoneProblems, rel, screenshot, useSitesAndBrowser, visit,
} from './lib.mjs';

// The two sites' passes run side by side, each site's in order (its later passes read the
// pages its first one found), and beside them the Welsh pages' pass once the served site's
// pages are found.
describe('every page', { timeout: 600_000, concurrency: true }, () => {
    const fx = useSitesAndBrowser();
    const found = {};
    let servedFound;
    const served = new Promise((resolve) => {
        servedFound = resolve;
    });

    for (const which of [0, 1]) {
        const label = which === 0 ? 'served' : 'export (file://)';

        describe(label, { concurrency: 1 }, () => {
            // Each page is loaded once for several checks: the crawl's desktop visit runs
            // axe and the focus checks too (axe needs no CSP bypassed, so the pages are
            // checked as they load for a pupil), and the phone axe pass also looks for what
            // a phone user would find wrong and for hidden focus. Their results are kept
            // here; a test whose results a pass did not bring runs a pass of its own.
            const shared = { axeDesktop: null, focusDesktop: null, phone: null, focusPhone: null };

            test(`${label}: every page loads with nothing from elsewhere, no error, no cookie`,
                { timeout: 180_000 }, async () => {
                    const site = fx.sites[which];
                    const guard = await newGuardedContext(fx.browser);
                    const violations = [];
                    const focus = [];
                    try {
                        const pages = await crawl(guard, site.start, site.base, {
                            onPage: async (page, p) => {
                                const name = `${rel(p.url, site.base) || '(start)'} (desktop)`;
                                // Before axe, which leaves nothing on the page but its script.
                                focus.push(...await focusProblems(page, site.base, name));
                                violations.push(...await axeCheck(page, name));
                            },
                        });
                        found[which] = pages;
                        shared.axeDesktop = violations;
                        shared.focusDesktop = focus;
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
                        if (which === 0)
                            servedFound();
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
                        if (size === 'desktop' && shared.axeDesktop) {
                            assert.equal(shared.axeDesktop.length, 0,
                                `axe violations:\n${shared.axeDesktop.join('\n')}`);
                            return;
                        }
                        const base = fx.sites[which].base;
                        const phone = [];
                        const focus = [];
                        const violations = await pass(`the axe pass (${size})`, pages.map((p) => p.url),
                            { viewport, colorScheme: scheme }, async (page, url) => {
                                const name = rel(url, base) || '(start)';
                                if (viewport === MOBILE) {
                                    phone.push(...await phoneProblems(page, name));
                                    focus.push(...await focusProblems(page, base, `${name} (phone)`));
                                }
                                return axeCheck(page, `${name} (${size})`);
                            });
                        if (viewport === MOBILE) {
                            shared.phone = phone;
                            shared.focusPhone = focus;
                        }
                        assert.equal(violations.length, 0, `axe violations:\n${violations.join('\n')}`);
                    });
            }

            test(`${label}: every page fits a phone screen and has readable text`,
                { timeout: 120_000 }, async (t) => {
                    const pages = found[which];
                    if (!pages) {
                        t.skip('no pages: the load test failed');
                        return;
                    }
                    const base = fx.sites[which].base;
                    const problems = shared.phone ?? await pass('the phone-size pass',
                        pages.map((p) => p.url), { viewport: MOBILE },
                        (page, url) => phoneProblems(page, rel(url, base) || '(start)'));
                    assert.deepEqual(problems, []);
                });

            test(`${label}: quick exit comes first on every pupil page and focus is never hidden`,
                { timeout: 240_000 }, async (t) => {
                    const pages = found[which];
                    if (!pages) {
                        t.skip('no pages: the load test failed');
                        return;
                    }
                    const base = fx.sites[which].base;
                    const problems = [];
                    for (const [viewport, size, done] of [[MOBILE, 'phone', shared.focusPhone],
                        [DESKTOP, 'desktop', shared.focusDesktop]])
                        problems.push(...done ?? await pass(`the focus pass (${size})`,
                            pages.map((p) => p.url), { viewport }, (page, url) =>
                                focusProblems(page, base, `${rel(url, base) || '(start)'} (${size})`)));
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

    describe('Welsh', () => welsh());

    /*
     * Loads each of urls in turn in a fresh guarded context (options: viewport, colorScheme),
     * those check adds to urls as it goes too, and returns every line check(page, url)
     * returned; fails on any problem the guard saw.
     */
    async function pass(what, urls, { viewport, colorScheme = 'light' }, check) {
        const guard = await newGuardedContext(fx.browser, {
            viewport, colorScheme, isMobile: viewport === MOBILE, hasTouch: viewport === MOBILE,
        });
        const page = await guard.context.newPage();
        const lines = [];
        try {
            for (const url of urls) {
                await visit(page, url);
                lines.push(...await check(page, url));
            }
            await guard.check(what);
        } finally {
            await guard.context.close();
        }
        return lines;
    }

    // The Welsh pages at phone size only: a long Welsh word is most likely to crowd the top
    // bar, a button or a line on a narrow screen, where a target can shrink or overlap (axe's
    // target-size) and a page can scroll sideways; colour, names and structure are the
    // English pages' own, which are checked at every size. The pages are the ones the English
    // pages' switchers lead to and any their own links add, so that they are the pages a
    // crawl from /cy/ would find with no crawl of their own. The teacher's slides are for the
    // classroom board and have no switcher.
    function welsh() {
        // Its time includes the wait for the served site's crawl.
        test('served: every page in Welsh (/cy/) is in Welsh, links back to its English page, ' +
            'has the quick exit first, fits a phone and passes axe (phone)', { timeout: 360_000 },
        async (t) => {
            await served;
            const pages = found[0];
            if (!pages) {
                t.skip('no pages: the load test failed');
                return;
            }
            const base = fx.sites[0].base;
            const english = new Map(); // each Welsh page and the English page linking to it
            const problems = [];
            for (const p of pages) {
                const cy = p.links.filter((l) => l.switcher && l.hreflang === 'cy');
                if (cy.length === 1)
                    english.set(pageKey(cy[0].href), p.url);
                else if (p.audience !== 'teacher' || cy.length)
                    problems.push(`${rel(p.url, base) || '(start)'}: ${cy.length} links to Welsh ` +
                        'in the switcher');
            }
            // pass() visits what is added to the list while it runs, as a crawl would.
            const urls = [...english.keys()];
            const violations = await pass('the Welsh pages', urls, { viewport: MOBILE },
                async (page, url) => {
                    const name = rel(url, base);
                    if (!url.startsWith(`${base}cy/`))
                        problems.push(`${name}: a page in Welsh outside /cy/`);
                    const { lang, audience } = await page.evaluate(() => ({
                        lang: document.documentElement.lang,
                        audience: /(?:^|\s)for-(\w+)/.exec(document.body.className)?.[1],
                    }));
                    if (lang !== 'cy')
                        problems.push(`${name}: <html lang="${lang}">, not "cy"`);
                    const on = await links(page);
                    const back = on.filter((l) => l.switcher && l.hreflang && l.hreflang !== 'cy');
                    if ((back.length !== 1 && audience !== 'teacher') || (english.has(url) &&
                        back.length && pageKey(back[0].href) !== english.get(url)))
                        problems.push(`${name}: the switcher does not lead to ${english.has(url)
                            ? rel(english.get(url), base) || '(start)' : 'an English page'}: ${
                            JSON.stringify(back)}`);
                    for (const l of on) {
                        const key = pageKey(l.href);
                        if (inSite(l.href, base) && !l.hreflang && !urls.includes(key) &&
                            !new URL(key).pathname.includes('/staff'))
                            urls.push(key);
                    }
                    problems.push(...await phoneProblems(page, name));
                    problems.push(...await focusProblems(page, base, name, /gadael/i));
                    return axeCheck(page, `${name} (phone)`);
                });
            console.log(`served: ${urls.length} pages in Welsh`);
            assert.deepEqual(problems, []);
            assert.equal(violations.length, 0, `axe violations:\n${violations.join('\n')}`);
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
