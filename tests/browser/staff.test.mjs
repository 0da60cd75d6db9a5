// The staff pages in Chromium, as a safeguarding lead uses them: signing in through the
// real form (by keyboard alone, and as a password manager fills it), making a class code,
// reading the reports of the pupils' answers, comparing the pilot with the revised package
// and recording a focus group. Every page passes axe-core's WCAG 2.2 AA checks on a phone
// and on a laptop and is no wider than the screen; everything works with JavaScript
// switched off; nothing is loaded from another host; and the one cookie is the __Host-
// session cookie of the staff pages.

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
const NAME = 'lead';
const SCHOOL = 'Hill School';
const COOKIE = '__Host-planpack_session';
const CHANGE = 'Shorter story steps, because pupils said the story was too long';

let dir;
let db;
let browser;
let server; // serves the revised package (2.0.0); the pilot (1.0.0) was served before it

// Runs `planpack ARGS --db DB`; fails the test on an error.
function planpack(args, input) {
    const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', input, timeout: 60_000 });
    assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

// Whether a Set-Cookie header is the staff session cookie, sent by a staff page.
function isSessionCookie(url, value) {
    return new URL(url).pathname.startsWith('/staff/') && value.startsWith(`${COOKIE}=`);
}

// A browser context for staff pages: guarded, with the session cookie allowed.
function staffContext(options = {}) {
    return newGuardedContext(browser, { allowCookie: isSessionCookie, ...options });
}

/*
 * Signs in on the form as a password manager does: finds the fields by their autocomplete
 * attributes, fills them and presses the button. Lands on the staff home page.
 */
async function signIn(page, base) {
    await visit(page, `${base}staff/login`);
    await page.locator('input[autocomplete="username"]').fill(NAME);
    await page.locator('input[autocomplete="current-password"]').fill(PASSWORD);
    await Promise.all([
        page.waitForURL(`${base}staff/`),
        page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    assert.equal(await page.locator('h1').innerText(), 'Staff pages');
}

// Makes a class code on the classes page through its form; returns the code.
async function makeClass(page, base, label) {
    await visit(page, `${base}staff/classes`);
    await page.getByLabel(/^Label/).fill(label);
    await page.getByLabel(/^School/).fill(SCHOOL);
    await Promise.all([
        page.waitForURL(/\/staff\/classes\?made=[A-Z2-9]{8}$/),
        page.getByRole('button', { name: 'Make a class code' }).click(),
    ]);
    const code = new URL(page.url()).searchParams.get('made');
    const notice = await page.getByRole('status').innerText();
    assert.ok(notice.includes(code) && notice.includes(label), `the notice says: ${notice}`);
    return code;
}

/*
 * Sends one pupil's answers to /feedback as the form would; i varies the answers, and the
 * comment may be given. Fails unless the answer was stored.
 */
async function answer(base, code, i, comment = `Comment number ${i}`) {
    const form = new URLSearchParams([
        ['c', code],
        ['q-sure-start', `start-${1 + (i % 3)}`],
        ['q-law-start', i % 2 ? 'yes' : 'no'],
        ['q-sure-end', `end-${3 + (i % 3)}`],
        ['q-law-end', 'yes'],
        ['q-made-plan', i % 3 ? 'yes' : 'no'],
        ['q-way', i % 2 ? 'w-say-no' : 'w-block'],
        ['q-helpful', 'h-story'],
        ['q-helpful', 'h-plan'],
        ['q-retro-sure', `retro-${1 + (i % 2)}`],
        ['q-retro-law', 'no'],
        ['q-comment', comment],
    ]);
    const res = await fetch(`${base}feedback`, { method: 'POST', body: form, redirect: 'manual' });
    const body = await res.text();
    assert.equal(res.status, 303, `answer ${i}: ${body.slice(0, 400)}`);
}

// The pupils of the pilot: the default package as piloted (1.0.0), one class of five.
async function pilot() {
    const s = await startServer({ args: ['--db', db, pilotPackage(dir)] });
    try {
        const guard = await staffContext();
        try {
            const page = await guard.context.newPage();
            await signIn(page, s.url);
            const code = await makeClass(page, s.url, 'Pilot, Year 9');
            for (let i = 0; i < 5; i++)
                await answer(s.url, code, i, `Pilot comment ${i}`);
            await guard.check('the pilot');
        } finally {
            await guard.context.close();
        }
    } finally {
        await s.stop();
    }
    assertNoSanitizerReport(s);
}

before(async () => {
    assert.ok(binaryExists(), `${BIN} does not exist: build it first (make asan)`);
    dir = tmpdir('staff');
    db = path.join(dir, 'staff.db');
    planpack(['staff', 'add', NAME], `${PASSWORD}\n`);
    browser = await launchBrowser();
    await pilot();
    server = await startServer({ args: ['--db', db, revisedPackage(dir, CHANGE)] });
}, { timeout: 120_000 });

after(async () => {
    await browser?.close();
    if (server) {
        await server.stop();
        assertNoSanitizerReport(server);
    }
    if (dir)
        fs.rmSync(dir, { recursive: true, force: true });
}, { timeout: 30_000 });

// Asserts that the cookies seen are the session cookie only, with the attributes it needs.
async function assertOnlySessionCookie(guard) {
    assert.ok(guard.cookies.length > 0, 'signing in set no cookie');
    for (const c of guard.cookies) {
        assert.match(c.value, new RegExp(`^${COOKIE}=[A-Za-z0-9_-]*; `), c.url);
        const attrs = c.value.split('; ').slice(1).filter((a) => a !== 'Max-Age=0').sort();
        assert.deepEqual(attrs, ['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure'], c.url);
    }
    const kept = await guard.context.cookies();
    assert.deepEqual(kept.map((c) => [c.name, c.path, c.httpOnly, c.sameSite, c.secure]),
        [[COOKIE, '/', true, 'Strict', true]], 'the browser keeps the session cookie only');
}

describe('staff pages', { timeout: 600_000 }, () => {
    test('sign-in by keyboard alone: Tab to each field, Enter submits', { timeout: 60_000 },
        async () => {
            const guard = await staffContext();
            try {
                const page = await guard.context.newPage();
                await visit(page, `${server.url}staff/login`);
                await page.keyboard.press('Tab');
                assert.equal(await page.evaluate(() => document.activeElement.autocomplete),
                    'username', 'the first Tab does not reach the name field');
                await page.keyboard.type(NAME);
                await page.keyboard.press('Tab');
                assert.equal(await page.evaluate(() => document.activeElement.autocomplete),
                    'current-password', 'the next Tab does not reach the password field');
                await page.keyboard.type(PASSWORD);
                await Promise.all([
                    page.waitForURL(`${server.url}staff/`),
                    page.keyboard.press('Enter'),
                ]);
                assert.match(await page.locator('main').innerText(), /signed in as lead, an evaluator/);
                await guard.check('signing in by keyboard');
                await assertOnlySessionCookie(guard);
                assert.ok(guard.cookies.every((c) => new URL(c.url).pathname === '/staff/login'),
                    `a cookie came from elsewhere: ${JSON.stringify(guard.cookies)}`);
            } finally {
                await guard.context.close();
            }
        });

    test('every page passes axe at 390 px and 1366 px wide, light and dark',
        { timeout: 300_000 }, async () => {
            const guard = await staffContext({ bypassCSP: true });
            try {
                const page = await guard.context.newPage();
                await signIn(page, server.url);
                const code = await makeClass(page, server.url, 'Year 9 PSHE, 3 March');
                for (let i = 0; i < 6; i++)
                    await answer(server.url, code, i, i === 5 ? '=HYPERLINK("x")' : undefined);

                // A focus group through its form, with contact details that must be masked.
                await visit(page, `${server.url}staff/focus-groups`);
                await page.getByLabel('Class').selectOption(code);
                await page.getByLabel(/^Themes/).fill('Trust, online safety');
                await page.getByLabel(/^Notes/).fill('They wanted more on blocking.\n' +
                    'One wrote to someone@example.org and 07700 900123 on the board.');
                await page.getByLabel(/^Quotes/).fill('I would just leave the chat');
                await Promise.all([
                    page.waitForURL(`${server.url}staff/focus-groups`),
                    page.getByRole('button', { name: 'Save the focus group' }).click(),
                ]);
                const fg = await page.locator('article.focus-group').innerText();
                assert.match(fg, /online safety/);
                assert.match(fg, /They wanted more on blocking/);
                assert.doesNotMatch(fg, /someone@example\.org|07700 900123/,
                    'contact details were not masked');

                const pages = [
                    ['home', 'staff/'],
                    ['classes', 'staff/classes'],
                    ['report', 'staff/report'],
                    ['report of the class', `staff/report?class=${code}`],
                    ['report of the school', `staff/report?school=${encodeURIComponent(SCHOOL)}`],
                    ['compare', 'staff/compare'],
                    ['compare 1.0.0 and 2.0.0', 'staff/compare?a=1.0.0&b=2.0.0'],
                    ['focus groups', 'staff/focus-groups'],
                    ['focus groups on a theme', 'staff/focus-groups?theme=trust'],
                    ['sign-in', 'staff/login'],
                ];
                const violations = [];
                for (const [what, p] of pages) {
                    for (const [size, viewport, scheme] of [
                        ['390 px', MOBILE, 'light'], ['1366 px', DESKTOP, 'light'],
                        ['1366 px dark', DESKTOP, 'dark']]) {
                        await page.setViewportSize(viewport);
                        await page.emulateMedia({ colorScheme: scheme });
                        await visit(page, `${server.url}${p}`);
                        violations.push(...await axeCheck(page, `/${p} (${size})`));
                        // Nothing wider than the screen: wide tables scroll in their own region.
                        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
                        if (wide > viewport.width)
                            violations.push(`/${p} (${size}): the page is ${wide} px wide`);
                    }
                }
                assert.deepEqual(violations, [], `axe found problems:\n${violations.join('\n')}`);

                // What those pages must show, beyond passing the checks.
                await visit(page, `${server.url}staff/report?class=${code}`);
                const report = await page.locator('main').innerText();
                assert.match(report, new RegExp(`Class ${code}: Year 9 PSHE, 3 March`));
                assert.match(report, /Submissions: 6\./);
                assert.match(report, /Comment number 0/);
                assert.ok(await page.locator('svg.chart').count() > 0, 'the report has no chart');
                assert.equal(await page.locator('svg.chart').count(),
                    await page.locator('.chart-and-table table').count(), 'a chart without its table');
                const [download] = await Promise.all([
                    page.waitForEvent('download'),
                    page.getByRole('link', { name: /Download these submissions as CSV/ }).click(),
                ]);
                const csv = fs.readFileSync(await download.path(), 'utf8');
                assert.equal(csv.trim().split('\n').length, 7, `not a header and six rows:\n${csv}`);
                assert.ok(csv.includes('\'=HYPERLINK'), 'a formula in the CSV was not neutralised');

                await visit(page, `${server.url}staff/compare?a=1.0.0&b=2.0.0`);
                const compare = await page.locator('main').innerText();
                assert.match(compare, /Version 1\.0\.0 and version 2\.0\.0 side by side/);
                assert.ok(compare.includes(CHANGE), 'the change log is not shown');

                await guard.check('the staff pages');
                await assertOnlySessionCookie(guard);
            } finally {
                await guard.context.close();
            }
        });

    test('on a phone 360 px wide the classes fit the screen, Close asks first, focus groups are '
        + 'changed and deleted, and every page passes axe', { timeout: 240_000 }, async () => {
        const PHONE = { width: 360, height: 740 };
        const guard = await staffContext({ viewport: PHONE, bypassCSP: true });
        try {
            const page = await guard.context.newPage();
            await signIn(page, server.url);
            const code = await makeClass(page, server.url, 'Year 11 on a phone, with a long label');
            await answer(server.url, code, 1, 'call me i have something to tell about what happened to me');
            await visit(page, `${server.url}staff/classes`);
            const problems = [];
            for (const button of await page.getByRole('button', { name: /^(Close|Reopen) / }).all()) {
                // Where it is without scrolling sideways (y may be further down the page).
                const box = await button.boundingBox();
                const name = await button.getAttribute('aria-label');
                if (!box || box.x < 0 || box.x + box.width > PHONE.width)
                    problems.push(`${name}: ${JSON.stringify(box)}`);
            }
            assert.deepEqual(problems, [], 'buttons off the screen');
            const row = page.locator('tr', { has: page.locator(`th code:text-is("${code}")`) });
            assert.match(await row.innerText(), /\n1 so far, of up to 300 \(30 pupils\)\n/);
            const violations = await axeCheck(page, '/staff/classes (360 px)');
            const wide = await page.evaluate(() => document.documentElement.scrollWidth);
            if (wide > PHONE.width)
                violations.push(`/staff/classes (360 px): the page is ${wide} px wide`);

            await Promise.all([
                page.waitForURL(`${server.url}staff/classes/open`),
                page.getByRole('button', { name: `Close ${code}` }).click(),
            ]);
            assert.equal(await page.locator('h1').innerText(), `Close class ${code}?`);
            violations.push(...await axeCheck(page, 'closing a class (360 px)'));
            await Promise.all([
                page.waitForURL(`${server.url}staff/classes`),
                page.getByRole('link', { name: 'No, keep it open' }).click(),
            ]);
            assert.match(await row.innerText(), /\nopen\n/);

            // A focus group with a name typed by mistake: changed, then deleted after a question.
            await visit(page, `${server.url}staff/focus-groups`);
            await page.getByLabel('Class').selectOption(code);
            await page.getByLabel(/^Notes/).fill('Sam Smith said the story was real');
            await Promise.all([
                page.waitForURL(`${server.url}staff/focus-groups`),
                page.getByRole('button', { name: 'Save the focus group' }).click(),
            ]);
            const article = page.locator('article.focus-group', { hasText: 'Sam Smith' });
            assert.match(await article.locator('h3').innerText(), /^Year 11 on a phone, with a long label \([A-Z2-9]{8}\), \d{4}-\d\d-\d\d$/);
            assert.match(await article.locator('.meta').innerText(), /^Recorded by lead on \d{4}-\d\d-\d\d\.$/);
            await Promise.all([
                page.waitForURL(/\/staff\/focus-groups\/edit\?id=\d+$/),
                article.getByRole('link', { name: 'Change this focus group' }).click(),
            ]);
            violations.push(...await axeCheck(page, 'changing a focus group (360 px)'));
            await page.getByLabel(/^Notes/).fill('A pupil said the story was real');
            await Promise.all([
                page.waitForURL(/\/staff\/focus-groups\?done=changed#fg-\d+$/),
                page.getByRole('button', { name: 'Save the changes' }).click(),
            ]);
            const changed = page.locator('article.focus-group', { hasText: 'A pupil said the story was real' });
            assert.match(await changed.locator('.meta').innerText(), /Last changed by lead on/);
            await Promise.all([
                page.waitForURL(`${server.url}staff/focus-groups/delete`),
                changed.getByRole('button', { name: 'Delete…' }).click(),
            ]);
            violations.push(...await axeCheck(page, 'deleting a focus group (360 px)'));
            await Promise.all([
                page.waitForURL(`${server.url}staff/focus-groups?done=deleted`),
                page.getByRole('button', { name: 'Delete the focus group' }).click(),
            ]);
            assert.doesNotMatch(await page.locator('main').innerText(), /A pupil said the story was real/);

            for (const [p, viewport] of [['staff/', PHONE], ['staff/focus-groups', PHONE],
                ['staff/comments', PHONE], ['staff/comments', DESKTOP]]) {
                await page.setViewportSize(viewport);
                await visit(page, `${server.url}${p}`);
                violations.push(...await axeCheck(page, `/${p} (${viewport.width} px)`));
                const wide = await page.evaluate(() => document.documentElement.scrollWidth);
                if (wide > viewport.width)
                    violations.push(`/${p} (${viewport.width} px): the page is ${wide} px wide`);
            }
            assert.deepEqual(violations, [], `axe found problems:\n${violations.join('\n')}`);
            assert.match(await page.locator('main').innerText(), /something to tell about what happened to me/);
            await guard.check('the classes page on a phone');
        } finally {
            await guard.context.close();
        }
    });

    test('without JavaScript every form submits and lands back on its page',
        { timeout: 180_000 }, async () => {
            const guard = await staffContext({ javaScriptEnabled: false });
            try {
                const page = await guard.context.newPage();
                await signIn(page, server.url);
                const code = await makeClass(page, server.url, 'Year 8 tutor group');

                // Close the class after the lesson, then open it again.
                const row = page.locator('tr', { has: page.locator(`th code:text-is("${code}")`) });
                assert.equal(await row.locator('td').nth(4).innerText(), 'open');
                await Promise.all([
                    page.waitForURL(`${server.url}staff/classes/open`),
                    page.getByRole('button', { name: `Close ${code}` }).click(),
                ]);
                assert.equal(await page.locator('h1').innerText(), `Close class ${code}?`);
                await Promise.all([
                    page.waitForURL(`${server.url}staff/classes`),
                    page.getByRole('button', { name: 'Close the class' }).click(),
                ]);
                assert.equal(await row.locator('td').nth(4).innerText(), 'closed');
                await Promise.all([
                    page.waitForURL(`${server.url}staff/classes`),
                    page.getByRole('button', { name: `Reopen ${code}` }).click(),
                ]);
                assert.equal(await row.locator('td').nth(4).innerText(), 'open');

                // The report's scope form is a GET: choosing a class and pressing Show.
                await visit(page, `${server.url}staff/report`);
                await page.getByLabel('Class').selectOption(code);
                await Promise.all([
                    page.waitForURL(new RegExp(`/staff/report\\?class=${code}`)),
                    page.getByRole('button', { name: 'Show', exact: true }).click(),
                ]);
                assert.match(await page.locator('main').innerText(),
                    new RegExp(`Class ${code}: Year 8 tutor group`));

                await visit(page, `${server.url}staff/compare`);
                await Promise.all([
                    page.waitForURL(/\/staff\/compare\?a=1\.0\.0&b=2\.0\.0$/),
                    page.getByRole('button', { name: 'Compare' }).click(),
                ]);
                assert.ok((await page.locator('main').innerText()).includes(CHANGE));

                await visit(page, `${server.url}staff/focus-groups`);
                await page.getByLabel(/^Themes/).fill('parents');
                await page.getByLabel(/^Notes/).fill('Written without JavaScript.');
                await Promise.all([
                    page.waitForURL(`${server.url}staff/focus-groups`),
                    page.getByRole('button', { name: 'Save the focus group' }).click(),
                ]);
                assert.match(await page.locator('main').innerText(), /Written without JavaScript\./);
                await page.getByLabel('Show only the theme').fill('parents');
                await Promise.all([
                    page.waitForURL(/\/staff\/focus-groups\?theme=parents$/),
                    page.getByRole('button', { name: 'Show', exact: true }).click(),
                ]);
                assert.equal(await page.locator('article.focus-group').count(), 1);

                // Signing out ends the session: the cookie goes, and the pages lead to sign-in.
                await Promise.all([
                    page.waitForURL(`${server.url}staff/login`),
                    page.getByRole('button', { name: 'Sign out' }).click(),
                ]);
                assert.deepEqual(await guard.context.cookies(), []);
                await visit(page, `${server.url}staff/classes`);
                assert.equal(new URL(page.url()).pathname, '/staff/login');
                await guard.check('the staff pages without JavaScript');
            } finally {
                await guard.context.close();
            }
        });
});
