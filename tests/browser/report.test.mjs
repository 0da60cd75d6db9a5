// The staff report as a safeguarding lead reads it, on pilot-sized data: three schools, six
// classes (one under 5 submissions), 70 submissions over the pilot (1.0.0) and the revised
// package (2.0.0). The report opens with a summary and contents, its groups folded, so that
// it is a fraction of its old height (62,070 px on a laptop, 84,401 px on a phone); charts
// are readable on a phone; printing prints the report, not the navigation; each chart
// downloads as SVG and PNG; no question id or letter k reaches the page; axe finds nothing;
// the pilot report passes axe and prints to an A4 PDF without the menus.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
    BIN, DESKTOP, MOBILE, assertNoSanitizerReport, axeCheck, binaryExists, launchBrowser,
    newGuardedContext, startServer, tmpdir, visit,
} from './lib.mjs';
import { pilotPackage, revisedPackage } from '../http/staff-lib.mjs';

const PASSWORD = 'correct horse battery staple';
const COOKIE = '__Host-planpack_session';

// The pilot: [version, school, label, submissions]; 70 in all, Dale's first class under 5.
const CLASSES = [
    ['1.0.0', 'Hill School', 'Year 9 PSHE', 20],
    ['1.0.0', 'Dale Academy', 'Year 8 tutor group', 3],
    ['1.0.0', 'Vale College', 'Year 10 PSHE', 12],
    ['2.0.0', 'Hill School', 'Year 9 PSHE, second group', 15],
    ['2.0.0', 'Vale College', 'Year 10 tutor group', 12],
    ['2.0.0', 'Dale Academy', 'Year 9 tutor group', 8],
];
// The report's height on this data before it opened with a summary and folded its groups
// (measured by this test on the report as it was: one long page).
const HEIGHT_BEFORE = { desktop: 62_070, phone: 84_401 };

let dir;
let db;
let browser;
let server;

function planpack(args, input) {
    const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', input, timeout: 60_000 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

// One pupil's answers, varied by i; every part of the survey.
async function answer(base, code, i) {
    const form = new URLSearchParams([
        ['c', code],
        ['q-sure-start', `start-${1 + (i % 3)}`],
        ['q-law-start', i % 2 ? 'yes' : 'no'],
        ['q-sure-end', `end-${3 + (i % 3)}`],
        ['q-law-end', i % 4 ? 'yes' : 'no'],
        ['q-made-plan', i % 3 ? 'yes' : 'no'],
        ['q-way', i % 2 ? 'w-say-no' : 'w-block'],
        ['q-helpful', 'h-story'],
        ['q-retro-sure', `retro-${1 + (i % 2)}`],
        ['q-retro-law', 'no'],
        ['q-comment', `Comment ${i} on the lesson`],
    ]);
    const res = await fetch(`${base}feedback`, { method: 'POST', body: form, redirect: 'manual' });
    assert.ok(res.status === 200 || res.status === 303, `answer ${i}: ${res.status}`);
}

// The classes of one version made on the command line, then answered through its server.
async function serveVersion(pkg, version) {
    const codes = [];
    for (const [v, school, label] of CLASSES) {
        if (v !== version)
            continue;
        const out = planpack(['cohort', 'new', '--label', label, '--school', school, pkg]).trim();
        codes.push(out.split('\n').pop().trim());
    }
    const s = await startServer({ args: ['--db', db, '--answers-per-client', '0', pkg] });
    let k = 0;
    for (const [v, , , n] of CLASSES) {
        if (v !== version)
            continue;
        const code = codes[k++];
        for (let i = 0; i < n; i++)
            await answer(s.url, code, i);
    }
    return s;
}

function staffContext(options = {}) {
    return newGuardedContext(browser, {
        allowCookie: (url, value) =>
            new URL(url).pathname.startsWith('/staff/') && value.startsWith(`${COOKIE}=`),
        ...options,
    });
}

async function signIn(page) {
    await visit(page, `${server.url}staff/login`);
    await page.locator('input[autocomplete="username"]').fill('lead');
    await page.locator('input[autocomplete="current-password"]').fill(PASSWORD);
    await Promise.all([
        page.waitForURL(`${server.url}staff/`),
        page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
}

before(async () => {
    assert.ok(binaryExists(), `${BIN} does not exist: build it first (make asan)`);
    dir = tmpdir('report');
    db = path.join(dir, 'report.db');
    planpack(['staff', 'add', 'lead'], `${PASSWORD}\n`);
    const pilot = await serveVersion(pilotPackage(dir), '1.0.0');
    await pilot.stop();
    assertNoSanitizerReport(pilot);
    server = await serveVersion(revisedPackage(dir, 'Shorter story steps'), '2.0.0');
    browser = await launchBrowser();
}, { timeout: 300_000 });

after(async () => {
    await browser?.close();
    if (server) {
        await server.stop();
        assertNoSanitizerReport(server);
    }
    if (dir)
        fs.rmSync(dir, { recursive: true, force: true });
}, { timeout: 30_000 });

describe('the staff report on pilot data', { timeout: 600_000 }, () => {
    test('opens with a summary and contents, groups folded, a fraction of its old height',
        { timeout: 180_000 }, async () => {
            const guard = await staffContext();
            try {
                const page = await guard.context.newPage();
                await signIn(page);
                const heights = {};
                for (const [name, viewport] of [['desktop', DESKTOP], ['phone', MOBILE]]) {
                    await page.setViewportSize(viewport);
                    await visit(page, `${server.url}staff/report`);
                    heights[name] = await page.evaluate(() => document.documentElement.scrollHeight);
                }
                console.log(`report height: desktop ${heights.desktop} px (before ` +
                    `${HEIGHT_BEFORE.desktop}), phone ${heights.phone} px (before ${HEIGHT_BEFORE.phone})`);
                // A tenth of the old height at most, on both.
                assert.ok(heights.desktop <= HEIGHT_BEFORE.desktop / 10, `desktop: ${heights.desktop} px`);
                assert.ok(heights.phone <= HEIGHT_BEFORE.phone / 10, `phone: ${heights.phone} px`);

                const main = await page.locator('main').innerText();
                // The summary says it in plain words: what is counted and what is not shown.
                assert.match(main, /67 submissions from 5 classes in 3 schools; 2 package versions\./);
                assert.match(main, /Not shown yet: 3 submissions from 1 class with fewer than 5\./);
                assert.match(main, /Classes with fewer than 5 submissions are not shown/);
                assert.match(main, /Headline results for all submissions/);
                assert.ok(main.indexOf('Summary') < main.indexOf('Contents'));
                // No question id, no "k", no "Answers:" counting submissions as pupils.
                assert.doesNotMatch(main, /\bq-[a-z]|\bk =|\bk\b|Answers:/);
                // Folded: nothing of a group's detail shows until it is opened.
                assert.equal(await page.locator('details.group[open]').count(), 0);
                assert.equal(await page.locator('details.group').count(), 2 + 3 + 6);
                assert.equal(await page.locator('svg.chart').first().isVisible(), false);
                // A contents link opens its part.
                await page.getByRole('link', { name: 'By class' }).click();
                await page.locator('details.group summary').nth(5).click();
                assert.equal(await page.locator('details.group[open]').count(), 1);
                await guard.check('the folded report');
            } finally {
                await guard.context.close();
            }
        });

    test('charts on a phone: text of at least 12 px, an axis, "No answer" apart',
        { timeout: 120_000 }, async () => {
            const guard = await staffContext();
            try {
                const page = await guard.context.newPage();
                await signIn(page);
                await page.setViewportSize(MOBILE);
                await visit(page, `${server.url}staff/report?school=Hill%20School`);
                // Open every part, as a lead reading the detail would.
                await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
                const sizes = await page.evaluate(() => [...document.querySelectorAll('svg.chart')].map((svg) => {
                    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                    return Math.min(...[...svg.querySelectorAll('text')].map((t) =>
                        parseFloat(getComputedStyle(t).fontSize) * scale));
                }));
                assert.ok(sizes.length > 10, `only ${sizes.length} charts`);
                const smallest = Math.min(...sizes);
                console.log(`smallest chart text on a phone: ${smallest.toFixed(1)} px`);
                assert.ok(smallest >= 12, `chart text drawn at ${smallest.toFixed(1)} px`);
                const chart = page.locator('details.group svg.chart').first();
                assert.ok(await chart.locator('line.axis').count() > 0, 'no axis');
                assert.equal(await chart.locator('rect.none').count(), 1, '"No answer" is not set apart');
                const wide = await page.evaluate(() => document.documentElement.scrollWidth);
                assert.ok(wide <= MOBILE.width, `the page is ${wide} px wide`);
                await guard.check('the charts on a phone');
            } finally {
                await guard.context.close();
            }
        });

    test('each chart downloads as SVG and PNG; printing prints the report alone',
        { timeout: 120_000 }, async () => {
            const guard = await staffContext({ acceptDownloads: true });
            try {
                const page = await guard.context.newPage();
                await signIn(page);
                await visit(page, `${server.url}staff/compare?a=1.0.0&b=2.0.0`);
                const downloads = page.locator('.downloads').first();
                const [svg] = await Promise.all([
                    page.waitForEvent('download'),
                    downloads.getByRole('link', { name: 'SVG' }).click(),
                ]);
                const svgText = fs.readFileSync(await svg.path(), 'utf8');
                assert.match(svgText, /^<\?xml[^]*<svg [^]*<text class="value a"/);
                assert.match(svg.suggestedFilename(), /^planpack-chart-q-[a-z-]+\.svg$/);
                const [png] = await Promise.all([
                    page.waitForEvent('download'),
                    downloads.getByRole('button', { name: 'PNG' }).click(),
                ]);
                const bytes = fs.readFileSync(await png.path());
                assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
                assert.ok(bytes.readUInt32BE(16) >= 360, 'the PNG is narrower than the chart');
                assert.match(png.suggestedFilename(), /^planpack-chart-q-[a-z-]+\.png$/);

                // Print: no navigation, forms or downloads; every part printed, folded or not.
                await visit(page, `${server.url}staff/report`);
                await page.emulateMedia({ media: 'print' });
                for (const sel of ['.staff-bar', 'form.scope', 'nav.contents', '.downloads'])
                    assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} prints`);
                assert.equal(await page.locator('details.group[open]').count(), 0);
                const printed = await page.evaluate(() => {
                    const svg = document.querySelector('details.group svg.chart');
                    return svg.getBoundingClientRect().height;
                });
                assert.ok(printed > 0, 'a folded part does not print');
                await guard.check('downloads and print');
            } finally {
                await guard.context.close();
            }
        });

    // With every part open (tests/browser/staff.test.mjs checks them folded, at every size).
    test('the report pages pass axe at 390 px and 1366 px, light and dark', { timeout: 480_000 },
        async () => {
            const guard = await staffContext({ bypassCSP: true });
            try {
                const page = await guard.context.newPage();
                await signIn(page);
                const violations = [];
                for (const [p, size, viewport, scheme] of [
                    ['staff/report', '390 px', MOBILE, 'light'],
                    ['staff/report', '1366 px dark', DESKTOP, 'dark'],
                    ['staff/compare?a=1.0.0&b=2.0.0', '390 px', MOBILE, 'light'],
                    ['staff/compare?a=1.0.0&b=2.0.0', '1366 px dark', DESKTOP, 'dark']]) {
                    await page.setViewportSize(viewport);
                    await page.emulateMedia({ colorScheme: scheme });
                    await visit(page, `${server.url}${p}`);
                    // Opened, so that axe sees the charts and tables too.
                    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
                    violations.push(...await axeCheck(page, `/${p} (${size})`));
                    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
                    if (wide > viewport.width)
                        violations.push(`/${p} (${size}): the page is ${wide} px wide`);
                }
                assert.deepEqual(violations, [], `axe found problems:\n${violations.join('\n')}`);
                await guard.check('the report pages');
            } finally {
                await guard.context.close();
            }
        });
    // The pilot report of both versions, as an evaluator prints it for the schools: axe finds
    // nothing, and Chromium prints it to an A4 PDF without the page's menus, each of its six
    // parts on a page of its own.
    test('the pilot report passes axe and prints to a PDF', { timeout: 180_000 }, async () => {
        const guard = await staffContext({ bypassCSP: true });
        try {
            const page = await guard.context.newPage();
            await signIn(page);
            await visit(page, `${server.url}staff/report/pilot?version=1.0.0&compare=2.0.0`);
            const main = await page.locator('main').innerText();
            for (const part of ['1. Aims', '2. Method', '3. Participants', '4. Results',
                '5. Limitations', '6. Changes made'])
                assert.ok(main.includes(part), `no part "${part}"`);
            // Dale's first class (3 submissions) is held back: counted apart, in no figure.
            assert.match(main, /Held back: 3 submissions from 1 class with fewer than 5/);
            assert.doesNotMatch(main, /Year 8 tutor group/);
            const charts = await page.locator('main svg.chart[role="img"]').count();
            assert.ok(charts >= 4, `only ${charts} charts`);
            const violations = await axeCheck(page, '/staff/report/pilot');
            assert.deepEqual(violations, [], `axe found problems:\n${violations.join('\n')}`);

            await page.emulateMedia({ media: 'print' });
            for (const sel of ['.staff-bar', 'form.scope', 'nav.contents', '.report-links'])
                assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} prints`);
            const breaks = await page.evaluate(() => [...document.querySelectorAll('section.pilot-part')]
                .map((s) => getComputedStyle(s).breakBefore));
            assert.deepEqual(breaks, ['auto', 'page', 'page', 'page', 'page', 'page']);
            const pdf = await page.pdf({ format: 'A4', printBackground: false });
            const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) || []).length;
            console.log(`pilot report PDF: ${pdf.length} bytes, ${pages} A4 pages, ${charts} charts`);
            assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
            assert.ok(pdf.length > 20_000, `the PDF is ${pdf.length} bytes`);
            // Six parts, each from a new page (32 pages on this data: 20 charts, each with its table).
            assert.ok(pages >= 6 && pages <= 36, `${pages} pages`);
            await guard.check('the pilot report');
        } finally {
            await guard.context.close();
        }
    });
});
