// The reading settings on the pupil pages. With JavaScript a pupil chooses light, dark or
// high-contrast colours and wider spacing; each scheme passes axe; a choice is kept in the
// browser's local storage only after "Remember on this device" is ticked, and quick exit
// removes it. Read aloud uses only a voice on the device in the page's language, reads the
// selection or else the page, stops when asked, and is not offered without such a voice.
// Without JavaScript the settings are not shown and the page follows the device's own
// colour and contrast settings.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { axeCheck, newGuardedContext, useSitesAndBrowser, visit } from './lib.mjs';

const WHITE = 'rgb(255, 255, 255)';
const DARK = 'rgb(21, 23, 26)';
const BLACK = 'rgb(0, 0, 0)';

/* The page's colours as the pupil sees them. */
function colours(page) {
    return page.evaluate(() => ({
        bg: getComputedStyle(document.body).backgroundColor,
        fg: getComputedStyle(document.body).color,
        scheme: document.documentElement.getAttribute('data-scheme'),
        spaced: document.documentElement.classList.contains('spaced'),
    }));
}

/* What this site keeps in the browser's local storage. */
function kept(page) {
    return page.evaluate(() => Object.keys(localStorage));
}

/*
 * A stand-in for the browser's speech synthesis, with the voices given: records what is
 * spoken, with which voice, and whether it was stopped.
 */
function fakeSpeech(voices) {
    return `(() => {
        const voices = ${JSON.stringify(voices)};
        window.__spoken = [];
        window.__cancelled = 0;
        window.SpeechSynthesisUtterance = function (text) { this.text = text; };
        Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
            getVoices: () => voices,
            speak: (u) => window.__spoken.push({ text: u.text, voice: u.voice.name, lang: u.lang }),
            cancel: () => { window.__cancelled++; },
            addEventListener: () => {},
        } });
    })();`;
}

describe('reading settings', { timeout: 600_000, concurrency: 2 }, () => {
    const fx = useSitesAndBrowser();

    for (const which of [0, 1]) {
        const label = which === 0 ? 'served' : 'export (file://)';

        test(`${label}: light, dark, high contrast and wider spacing, each axe-clean; kept only ` +
            'when asked, and quick exit forgets them', { timeout: 300_000 }, async () => {
            const site = fx.sites[which];
            const guard = await newGuardedContext(fx.browser, { bypassCSP: true });
            try {
                const page = await guard.context.newPage();
                await visit(page, site.start);
                assert.ok(await page.locator('#reader').isVisible(), 'no reading settings');
                await page.locator('#reader summary').click();
                const violations = [];
                const seen = {};
                for (const scheme of ['light', 'dark', 'contrast', 'device']) {
                    await page.locator(`#scheme-${scheme}`).check();
                    seen[scheme] = await colours(page);
                    violations.push(...await axeCheck(page, `the start page (${scheme})`));
                }
                assert.deepEqual([seen.light.bg, seen.dark.bg, seen.contrast.bg],
                    [WHITE, DARK, BLACK], 'the colours chosen are not the ones shown');
                assert.deepEqual([seen.light.scheme, seen.device.scheme], ['light', null]);
                assert.equal(seen.contrast.fg, WHITE);
                // The device asks for more contrast: the page follows it unless told otherwise.
                await page.emulateMedia({ contrast: 'more' });
                assert.equal((await colours(page)).fg, BLACK, 'prefers-contrast: more is not followed');
                violations.push(...await axeCheck(page, 'the start page (device, more contrast)'));
                await page.emulateMedia({ contrast: null });
                await page.locator('#reader-spaced').check();
                await page.locator('#scheme-contrast').check();
                const spacing = await page.locator('main p').first()
                    .evaluate((p) => parseFloat(getComputedStyle(p).letterSpacing) || 0);
                assert.ok(spacing > 0, 'wider spacing does not space the letters');
                violations.push(...await axeCheck(page, 'the start page (contrast, spaced)'));
                assert.deepEqual(violations, [], `axe violations:\n${violations.join('\n')}`);

                // Not remembered: nothing in local storage, and a new tab starts as it was.
                assert.deepEqual(await kept(page), []);
                const other = await guard.context.newPage();
                await visit(other, site.start);
                const fresh = await colours(other);
                assert.deepEqual([fresh.scheme, fresh.spaced, fresh.bg], [null, false, WHITE],
                    'a setting came back without "Remember on this device"');
                await other.close();

                // Remembered: kept on this device, in a new tab too, until quick exit.
                await page.locator('#reader-remember').check();
                assert.deepEqual(await kept(page), ['planpack-reader']);
                const again = await guard.context.newPage();
                await visit(again, site.start);
                const back = await colours(again);
                assert.deepEqual([back.scheme, back.spaced, back.bg], ['contrast', true, BLACK]);
                const exitUrl = await again.locator('#exit').evaluate((a) => a.href);
                guard.allow(new URL(exitUrl).origin);
                await again.locator('#exit').click();
                await again.waitForURL((u) => u.href.startsWith(exitUrl));
                const after = await guard.context.newPage();
                await visit(after, site.start);
                assert.deepEqual(await kept(after), [], 'quick exit left the settings on the device');
                assert.equal((await colours(after)).scheme, null);
                await guard.check('the reading settings');
            } finally {
                await guard.context.close();
            }
        });
    }

    test('served: read aloud uses a voice on the device in the page\'s language, reads the ' +
        'selection or the page, and stops', { timeout: 120_000 }, async () => {
        const site = fx.sites[0];
        const guard = await newGuardedContext(fx.browser);
        try {
            // Only voices from a speech service: read aloud is not offered.
            await guard.context.addInitScript(fakeSpeech([
                { name: 'Online', lang: 'en-GB', localService: false },
            ]));
            const page = await guard.context.newPage();
            await visit(page, site.start);
            await page.locator('#reader summary').click();
            assert.equal(await page.locator('#read-aloud').isVisible(), false,
                'read aloud is offered with no voice on the device');
            await page.close();

            const local = await guard.context.newPage();
            await local.addInitScript(fakeSpeech([
                { name: 'Online', lang: 'en-GB', localService: false },
                { name: 'Welsh', lang: 'cy-GB', localService: true },
                { name: 'On this device', lang: 'en-GB', localService: true },
            ]));
            await visit(local, site.start);
            const lang = await local.evaluate(() => document.documentElement.lang);
            await local.locator('#reader summary').click();
            await local.locator('#read-aloud').click();
            const spoken = await local.evaluate(() => window.__spoken);
            const h1 = (await local.locator('main h1').innerText()).trim();
            assert.ok(spoken.length > 1, 'the page was not read');
            assert.ok(spoken.some((s) => s.text.trim() === h1), 'the heading was not read');
            assert.deepEqual([...new Set(spoken.map((s) => s.voice))], ['On this device']);
            assert.ok(spoken.every((s) => s.lang.startsWith(lang)), 'read in another language');
            assert.ok(await local.locator('#read-stop').isVisible(), 'no way to stop reading');
            const cancelled = await local.evaluate(() => window.__cancelled);
            await local.locator('#read-stop').click();
            assert.equal(await local.evaluate(() => window.__cancelled), cancelled + 1);
            assert.equal(await local.locator('#read-stop').isVisible(), false);

            // The selected words alone.
            await local.evaluate(() => {
                window.__spoken = [];
                const range = document.createRange();
                range.selectNodeContents(document.querySelector('main h1'));
                getSelection().removeAllRanges();
                getSelection().addRange(range);
            });
            await local.locator('#read-aloud').click();
            assert.deepEqual((await local.evaluate(() => window.__spoken)).map((s) => s.text), [h1]);
            await guard.check('read aloud');
        } finally {
            await guard.context.close();
        }
    });

    test('served, without JavaScript: no settings, and the device\'s dark and contrast ' +
        'settings are followed', { timeout: 120_000 }, async () => {
        const site = fx.sites[0];
        const guard = await newGuardedContext(fx.browser, { javaScriptEnabled: false });
        try {
            const page = await guard.context.newPage();
            await visit(page, site.start);
            assert.equal(await page.locator('#reader').isVisible(), false);
            assert.equal((await colours(page)).bg, WHITE);
            await page.emulateMedia({ colorScheme: 'dark' });
            assert.equal((await colours(page)).bg, DARK);
            await page.emulateMedia({ colorScheme: 'dark', contrast: 'more' });
            assert.deepEqual([(await colours(page)).bg, (await colours(page)).fg], [BLACK, WHITE]);
            await page.emulateMedia({ colorScheme: 'light', contrast: 'more' });
            assert.equal((await colours(page)).fg, BLACK);
            await guard.check('the settings without JavaScript');
        } finally {
            await guard.context.close();
        }
    });
});
