// The branching story, on the served site and the static export, with JavaScript and
// without: the story's graph is discovered from its pages' choice links (nothing about the
// default package's story is written here), every path from the first step to each ending
// is walked by clicking the choices, and one path is walked with the keyboard alone.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
    links, newGuardedContext, pageKey, rel, useSitesAndBrowser, visit,
} from './lib.mjs';

const MAX_PATHS = 500;

/*
 * The first step of every story: pages in the site's navigation that show choices. Found
 * once for each site in a test file (its pages do not change while it runs).
 */
const storiesOf = new Map();

function findStories(page, site) {
    // The promise is kept, so that a test that asks while another is still looking waits
    // for the same answer.
    if (!storiesOf.has(site.start))
        storiesOf.set(site.start, lookForStories(page, site));
    return storiesOf.get(site.start);
}

async function lookForStories(page, site) {
    await visit(page, site.start);
    const candidates = [...new Set((await links(page))
        .filter((l) => l.href.startsWith(site.base))
        .map((l) => pageKey(l.href)))];
    const starts = [];
    for (const url of candidates) {
        await visit(page, url);
        const isStory = await page.evaluate(() =>
            document.body.classList.contains('page-story') &&
            document.querySelectorAll('main a.choice').length > 0);
        if (isStory)
            starts.push(url);
    }
    return starts;
}

/* Reads one step: its choices (address and text) and whether it says it is an ending. */
async function readStep(page) {
    return page.evaluate(() => ({
        choices: [...document.querySelectorAll('main a.choice')].map((a) => ({
            href: a.href.replace(/#.*$/, ''),
            text: a.textContent.replace(/\s+/g, ' ').trim(),
        })),
        ending: !!document.querySelector('main .ending'),
        endingText: (document.querySelector('main .ending')?.textContent || '').trim(),
        heading: (document.querySelector('main h2, main h1')?.textContent || '').trim(),
        again: [...document.querySelectorAll('main a')].map((a) => a.href.replace(/#.*$/, '')),
    }));
}

/* Visits every step reachable from start by choices; returns a map url -> step. */
async function discover(page, start) {
    const steps = new Map();
    const queue = [start];
    while (queue.length) {
        const url = queue.shift();
        if (steps.has(url))
            continue;
        assert.ok(steps.size < 300, 'more than 300 story steps: is discovery looping?');
        await visit(page, url);
        const step = await readStep(page);
        steps.set(url, step);
        for (const c of step.choices)
            if (!steps.has(c.href))
                queue.push(c.href);
    }
    return steps;
}

/* Every path from start to an ending that visits no step twice. */
function allPaths(steps, start) {
    const paths = [];
    const walk = (url, path) => {
        assert.ok(paths.length < MAX_PATHS, `more than ${MAX_PATHS} story paths`);
        const step = steps.get(url);
        if (step.ending) {
            paths.push(path);
            return;
        }
        for (const c of step.choices)
            if (!path.includes(c.href))
                walk(c.href, [...path, c.href]);
    };
    walk(start, [start]);
    return paths;
}

// Two tests at a time, each in a browser context of its own.
describe('the story', { timeout: 600_000, concurrency: 2 }, () => {
    const fx = useSitesAndBrowser();

    for (const which of [0, 1]) {
        for (const js of [true, false]) {
            const label = `${which === 0 ? 'served' : 'export (file://)'}, ` +
                `${js ? 'with' : 'without'} JavaScript`;

            test(`${label}: every path from the first step to each ending, by clicking`,
                { timeout: 240_000 }, async () => {
                    const site = fx.sites[which];
                    const guard = await newGuardedContext(fx.browser, { javaScriptEnabled: js });
                    try {
                        const page = await guard.context.newPage();
                        const stories = await findStories(page, site);
                        assert.ok(stories.length >= 1,
                            'no story found: no page linked from the start page has choices');
                        for (const start of stories) {
                            const name = rel(start, site.base);
                            const steps = await discover(page, start);
                            const problems = [];
                            for (const [url, s] of steps) {
                                if (s.ending && s.choices.length)
                                    problems.push(`${rel(url, site.base)}: an ending with choices`);
                                if (!s.ending && !s.choices.length)
                                    problems.push(`${rel(url, site.base)}: no choices and not an ending`);
                                if (s.ending && !s.again.includes(start))
                                    problems.push(`${rel(url, site.base)}: an ending with no way back ` +
                                        'to the start of the story');
                            }
                            assert.deepEqual(problems, [], `story ${name}`);
                            const endings = [...steps].filter(([, s]) => s.ending);
                            const decisions = [...steps].filter(([, s]) => s.choices.length >= 2);
                            assert.ok(endings.length >= 3,
                                `story ${name} has ${endings.length} endings; the brief asks for 3`);
                            assert.ok(decisions.length >= 2, `story ${name} has ` +
                                `${decisions.length} decision points; the brief asks for 2`);
                            const paths = allPaths(steps, start);
                            const reached = new Set(paths.map((p) => p[p.length - 1]));
                            assert.equal(reached.size, endings.length, 'some ending has no path');
                            console.log(`${label}: story ${name}: ${steps.size} steps, ` +
                                `${endings.length} endings, ${paths.length} paths`);

                            for (const path of paths) {
                                const trail = path.map((u) => rel(u, site.base)).join(' → ');
                                await visit(page, path[0]);
                                for (let i = 1; i < path.length; i++) {
                                    const idx = await choiceIndex(page, path[i]);
                                    await page.locator('main a.choice').nth(idx).click();
                                    await page.waitForURL((u) => pageKey(u.href) === path[i]);
                                }
                                const s = await readStep(page);
                                assert.ok(s.ending, `${trail}: the last page is not an ending`);
                                const ending = page.locator('main .ending');
                                assert.ok(await ending.isVisible(), `${trail}: the ending is not shown`);
                            }
                        }
                        await guard.check(`the story (${label})`);
                    } finally {
                        await guard.context.close();
                    }
                });
        }

        test(`${which === 0 ? 'served' : 'export (file://)'}: the longest path with the keyboard ` +
            'alone (Tab and Enter), focus always visible', { timeout: 120_000 }, async () => {
            const site = fx.sites[which];
            const guard = await newGuardedContext(fx.browser);
            try {
                const page = await guard.context.newPage();
                const [start] = await findStories(page, site);
                assert.ok(start, 'no story found');
                const steps = await discover(page, start);
                const paths = allPaths(steps, start);
                const path = paths.reduce((a, b) => (b.length > a.length ? b : a));
                await visit(page, start);
                for (let i = 1; i < path.length; i++) {
                    let focused = null;
                    for (let n = 0; n < 150; n++) {
                        await page.keyboard.press('Tab');
                        focused = await page.evaluate(() => {
                            const el = document.activeElement;
                            if (!el || !el.href)
                                return null;
                            const cs = getComputedStyle(el);
                            return {
                                href: el.href.replace(/#.*$/, ''),
                                ring: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) ||
                                    cs.boxShadow !== 'none',
                                html: el.outerHTML.slice(0, 120),
                            };
                        });
                        if (focused && focused.href === path[i])
                            break;
                        focused = null;
                    }
                    assert.ok(focused, `Tab never reached the choice for ${rel(path[i], site.base)} ` +
                        `on ${rel(path[i - 1], site.base)}`);
                    assert.ok(focused.ring, `the focused choice shows no focus outline: ${focused.html}`);
                    await page.keyboard.press('Enter');
                    await page.waitForURL((u) => pageKey(u.href) === path[i]);
                }
                assert.ok((await readStep(page)).ending, 'the keyboard path did not end at an ending');
                await guard.check('the keyboard walk');
            } finally {
                await guard.context.close();
            }
        });
    }
});

/* Which of the page's choices leads to url. */
async function choiceIndex(page, url) {
    const idx = await page.evaluate((want) => [...document.querySelectorAll('main a.choice')]
        .findIndex((a) => a.href.replace(/#.*$/, '') === want), url);
    assert.ok(idx >= 0, `no choice on ${page.url()} leads to ${url}`);
    return idx;
}
