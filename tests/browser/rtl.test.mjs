// A package in a language written right to left (tests/fixtures/rtl, in Arabic), served:
// every page has <html lang="ar" dir="rtl">, passes axe-core (WCAG 2.2 AA tags), fits a phone
// with the quick exit first, and its layout mirrors: the quick exit sits at the end of the
// top bar, which is its left, the pupil's own chat bubbles on the left and the other
// person's on the right, a paragraph's lines start at the right and the "previous" link is
// on the right. Each is measured against the same page set left to right (dir="ltr" on
// <html>, nothing else changed), where every one of them must be on the other side, so that
// a test that passed for a layout that does not depend on the direction would fail here.
//
// Geometry, not pixels: a golden screenshot compared pixel by pixel fails whenever
// Chromium's text rendering, a font package or the anti-aliasing changes, and a tolerance
// loose enough to absorb that misses a bubble on the wrong side. The boxes above are what a
// reader would notice. A screenshot of each page is saved in build/screens/rtl/ for a
// person to look at; none is committed or compared.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
    DESKTOP, MOBILE, ROOT, SCREENS, axeCheck, crawl, focusProblems, newGuardedContext,
    phoneProblems, rel, screenshot, useServerAndBrowser, visit,
} from './lib.mjs';

const PACKAGE = path.join(ROOT, 'tests', 'fixtures', 'rtl');
// Apart from site.test.mjs's, which it empties before it takes its own.
const SHOTS = path.join(SCREENS, 'rtl');

/*
 * In the page: the boxes the mirrored layout is judged by, as [left, right] in CSS pixels,
 * and which side of the paragraph its first line starts on. Missing elements are null.
 */
function measure() {
    const box = (sel) => {
        const el = document.querySelector(sel);
        if (!el || !el.getClientRects().length)
            return null;
        const r = el.getBoundingClientRect();
        return [r.left, r.right];
    };
    let firstLine = null;
    const p = document.querySelector('main p');
    if (p) {
        const range = document.createRange();
        range.selectNodeContents(p);
        const line = range.getClientRects()[0];
        const r = p.getBoundingClientRect();
        const fromRight = Math.abs(line.right - r.right);
        firstLine = fromRight < Math.abs(line.left - r.left) ? 'right' : 'left';
    }
    return {
        exit: box('.top .exit'),
        brand: box('.top .brand'),
        chat: box('.chat'),
        me: box('.chat .me'),
        them: box('.chat .them'),
        prev: box('.pager .prev'),
        next: box('.pager .next'),
        firstLine,
    };
}

/* What is on the wrong side for a page set in dir, one line a problem. */
function sideProblems(m, dir, name) {
    const problems = [];
    const rtl = dir === 'rtl';
    const centre = (b) => (b[0] + b[1]) / 2;
    const want = (ok, what) => {
        if (!ok)
            problems.push(`${name} (${dir}): ${what}: ${JSON.stringify(m)}`);
    };
    want(m.exit && m.brand, 'no quick exit or site name in the top bar');
    if (m.exit && m.brand)
        want(rtl ? m.exit[1] <= m.brand[0] : m.exit[0] >= m.brand[1],
            `the quick exit is not at the ${rtl ? 'left' : 'right'} of the site name`);
    if (m.chat && m.me && m.them) {
        // Each bubble hugs its own side of the chat, with room left on the other.
        const nearLeft = (b) => b[0] - m.chat[0] < m.chat[1] - b[1];
        want(rtl ? nearLeft(m.me) && !nearLeft(m.them) : !nearLeft(m.me) && nearLeft(m.them),
            `the pupil's own bubble is not on the ${rtl ? 'left' : 'right'}`);
        want(rtl ? centre(m.me) < centre(m.them) : centre(m.me) > centre(m.them),
            'the two sides of the chat are not apart');
    }
    if (m.prev && m.next)
        want(rtl ? centre(m.prev) > centre(m.next) : centre(m.prev) < centre(m.next),
            `"previous" is not on the ${rtl ? 'right' : 'left'}`);
    if (m.firstLine)
        want(m.firstLine === (rtl ? 'right' : 'left'),
            `a paragraph's first line starts at the ${m.firstLine}`);
    return problems;
}

describe('right to left', { timeout: 300_000 }, () => {
    const fx = useServerAndBrowser([PACKAGE]);

    // One visit a page, at phone size, for every check; the story's layout is measured
    // again at desktop size.
    test('every page is in Arabic, right to left, axe-clean, fits a phone and mirrors',
        { timeout: 180_000 }, async () => {
            const { server, browser } = fx;
            const guard = await newGuardedContext(browser, {
                viewport: MOBILE, isMobile: true, hasTouch: true,
            });
            const problems = [];
            const violations = [];
            let story = null;
            try {
                const pages = await crawl(guard, server.url, server.url, {
                    onPage: async (page, p) => {
                        const name = rel(p.url, server.url) || '(start)';
                        const html = await page.evaluate(() => ({
                            lang: document.documentElement.getAttribute('lang'),
                            dir: document.documentElement.getAttribute('dir'),
                            computed: getComputedStyle(document.body).direction,
                        }));
                        assert.deepEqual(html, { lang: 'ar', dir: 'rtl', computed: 'rtl' },
                            `${name}: <html> is not lang="ar" dir="rtl"`);
                        problems.push(...await phoneProblems(page, name));
                        problems.push(...await focusProblems(page, server.url, name, /خروج/));
                        violations.push(...await axeCheck(page, name));
                        await screenshot(page, `phone-${name}`, { dir: SHOTS });
                        // The story's first page has all there is to measure: the top bar,
                        // the chat, a paragraph and the pager with both its links.
                        if (!story && await page.evaluate(() =>
                            document.body.classList.contains('page-story'))) {
                            story = p.url;
                            problems.push(...await mirrored(page, `${name} (phone)`));
                        }
                    },
                });
                const names = pages.map((p) => rel(p.url, server.url) || '(start)');
                console.log(`right to left: ${pages.length} pages: ${names.join(', ')}`);
                assert.ok(pages.length >= 3, `only ${names} reachable from the start page`);
                assert.ok(story, `no story page among ${names}`);

                const page = await guard.context.newPage();
                await page.setViewportSize(DESKTOP);
                await visit(page, story);
                problems.push(...await mirrored(page, `${rel(story, server.url)} (desktop)`));
                await screenshot(page, 'desktop-story', { dir: SHOTS });
                await guard.check('the right-to-left package');
            } finally {
                await guard.context.close();
            }
            assert.deepEqual(problems, []);
            assert.equal(violations.length, 0, `axe violations:\n${violations.join('\n')}`);
        });
});

/*
 * On the page now loaded: the layout's sides as they are (right to left), then with the
 * page set left to right, which must turn every one of them round; the page is set back.
 */
async function mirrored(page, name) {
    const problems = sideProblems(await page.evaluate(measure), 'rtl', name);
    await page.evaluate(() => document.documentElement.setAttribute('dir', 'ltr'));
    problems.push(...sideProblems(await page.evaluate(measure), 'ltr', name));
    await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    return problems;
}
