// Shared helpers for the browser tests: the planpack binary (serve and export), Debian's
// Chromium driven by playwright-core, a guard that fails a test on any request to another
// host, failed request, console error or cookie, site discovery by following links, and
// axe-core checks.
//
// Run from the repository root: `node --test tests/browser/`. PLANPACK_BIN names the binary
// (default build/asan/planpack); B names the build folder that screenshots go into.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const ROOT = path.resolve(here, '..', '..');
export const BIN = path.resolve(ROOT, process.env.PLANPACK_BIN || 'build/asan/planpack');
export const BUILD = path.resolve(ROOT, process.env.B || 'build');
export const SCREENS = path.join(BUILD, 'screens');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const MOBILE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 768 };

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Bounds for every wait, so that a hung page or server fails a test instead of the run.
export const STEP_MS = 10_000;
const SERVER_START_MS = 30_000;
const SERVER_STOP_MS = 15_000;

const CHROMIUM_ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
];

export function binaryExists() {
    return fs.existsSync(BIN);
}

export function tmpdir(prefix) {
    return fs.mkdtempSync(path.join(os.tmpdir(), `planpack-browser-${prefix}-`));
}

function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

/*
 * Starts `planpack serve` on a free loopback port and waits for its ready line. The
 * returned object records everything the server printed, so a test can assert on it after
 * stop(). opts.quiet (default true) passes --quiet; opts.cwd is the server's working
 * folder (default a fresh temporary one, removed by stop()).
 */
export async function startServer(opts = {}) {
    const quiet = opts.quiet ?? true;
    const ownCwd = !opts.cwd;
    const cwd = opts.cwd || tmpdir('serve');
    let lastError;
    for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        const args = ['serve', ...(opts.args || []), '--listen', `127.0.0.1:${port}`];
        if (quiet)
            args.push('--quiet');
        const child = spawn(BIN, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        const server = {
            child,
            cwd,
            port,
            url: null,
            stdout: '',
            stderr: '',
            exitCode: null,
            signal: null,
        };
        const exited = new Promise((resolve) => {
            child.on('exit', (code, signal) => {
                server.exitCode = code;
                server.signal = signal;
                resolve();
            });
            child.on('error', (err) => {
                server.stderr += `spawn failed: ${err.message}\n`;
                resolve();
            });
        });
        child.stdout.setEncoding('utf8');
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (d) => (server.stderr += d));
        const ready = new Promise((resolve) => {
            child.stdout.on('data', (d) => {
                server.stdout += d;
                const m = /planpack: serving on (http:\/\/\S+)/.exec(server.stdout);
                if (m && !server.url) {
                    server.url = m[1].endsWith('/') ? m[1] : `${m[1]}/`;
                    resolve();
                }
            });
        });
        let timer;
        const timeout = new Promise((resolve) => {
            timer = setTimeout(resolve, SERVER_START_MS);
        });
        await Promise.race([ready, exited, timeout]);
        clearTimeout(timer);
        server.stop = async () => {
            if (server.exitCode === null && server.signal === null) {
                child.kill('SIGTERM');
                let t;
                const late = new Promise((resolve) => {
                    t = setTimeout(resolve, SERVER_STOP_MS);
                });
                await Promise.race([exited, late]);
                clearTimeout(t);
                if (server.exitCode === null && server.signal === null) {
                    child.kill('SIGKILL');
                    await exited;
                    server.stderr += '\n(the server did not stop within 15 s of SIGTERM)\n';
                }
            }
            if (ownCwd)
                fs.rmSync(cwd, { recursive: true, force: true });
        };
        if (server.url)
            return server;
        await server.stop();
        lastError = `planpack serve did not print its ready line within ${SERVER_START_MS} ms` +
            ` (exit ${server.exitCode}, signal ${server.signal})\nstdout:\n${server.stdout}\n` +
            `stderr:\n${server.stderr}`;
        // Another process may have taken the port between our probe and the bind: try again.
        if (!/bind|in use/i.test(server.stderr))
            break;
    }
    throw new Error(lastError);
}

/*
 * Fails when the server's sanitizers reported anything (the browser's requests, such as a
 * real form POST, reached code the HTTP tests did not), quoting the report.
 */
export function assertNoSanitizerReport(server) {
    const m = /(ERROR: (Address|Leak)Sanitizer|runtime error:)/.exec(server.stderr);
    assert.ok(!m, `planpack serve reported a sanitizer error:\n${
        server.stderr.slice(Math.max(0, m ? m.index - 200 : 0), (m ? m.index : 0) + 3000)}`);
}

/* Runs `planpack export -o DIR` into a fresh folder; returns the folder and its index URL. */
export function exportSite() {
    const parent = tmpdir('export');
    const dir = path.join(parent, 'site');
    const r = spawnSync(BIN, ['export', '-o', dir], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0,
        `planpack export failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return {
        dir,
        url: pathToFileURL(path.join(dir, 'index.html')).href,
        base: pathToFileURL(dir + path.sep).href,
        remove: () => fs.rmSync(parent, { recursive: true, force: true }),
    };
}

/*
 * Launches Debian's Chromium. playwright-core's launch() gives the browser a fresh user
 * data folder of its own and removes it on close, so no profile carries over between runs.
 * On a busy machine Chromium sometimes dies or hangs while it starts, before any page is
 * loaded: that launch is tried once more. Nothing a test asserts is ever retried.
 */
export async function launchBrowser() {
    const launch = () => chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: 30_000,
    });
    try {
        return await launch();
    } catch (first) {
        try {
            return await launch();
        } catch (second) {
            throw new Error(`Chromium did not start, twice:\n${first.message}\n---\n${second.message}`);
        }
    }
}

/* True when url is somewhere a pupil page may load from: this machine's loopback or a file. */
export function isLocal(url) {
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('about:') ||
        url.startsWith('blob:'))
        return true;
    try {
        return new URL(url).hostname === '127.0.0.1';
    } catch {
        return false;
    }
}

const STUB_PAGE = '<!doctype html><html lang="en"><title>Outside</title><h1>Outside page</h1>';

/*
 * Creates a browser context whose every request, response and console message is watched.
 * A request to any other host is aborted before it leaves the machine and recorded;
 * guard.check() fails the test on any such request, any failed request, any response with
 * an HTTP error status or a Set-Cookie header, any console error and any uncaught page
 * error. guard.allow(urlPrefix, {body, delayMs}) serves a local stub for a known outside
 * address (the quick exit's destination), so that following it is observable but nothing
 * leaves the machine. options.allowCookie(url, value), when given, accepts a Set-Cookie
 * header it returns true for (the staff pages' session); accepted ones are listed in
 * guard.cookies as {url, value}.
 */
export async function newGuardedContext(browser, { allowCookie, ...options } = {}) {
    const context = await browser.newContext({
        viewport: DESKTOP,
        ...options,
    });
    context.setDefaultTimeout(STEP_MS);
    context.setDefaultNavigationTimeout(STEP_MS);
    const guard = {
        context,
        requests: [],
        problems: [],
        stubs: [],
        aborted: [],
        cookies: [],
        pending: new Set(),
        allow(prefix, { body = STUB_PAGE, delayMs = 0 } = {}) {
            this.stubs.push({ prefix, body, delayMs });
        },
        /* Waits for the headers still being read, then fails on any problem seen so far. */
        async check(what = 'the page') {
            await Promise.all([...this.pending]);
            assert.deepEqual(this.problems.map((p) => p.text), [],
                `problems while testing ${what}:\n  ${this.problems.map((p) => p.text).join('\n  ')}`);
        },
    };
    await context.route('**/*', async (route) => {
        const url = route.request().url();
        const stub = guard.stubs.find((s) => url.startsWith(s.prefix));
        if (stub) {
            if (stub.delayMs)
                await new Promise((resolve) => setTimeout(resolve, stub.delayMs));
            await route.fulfill({ status: 200, contentType: 'text/html', body: stub.body });
            return;
        }
        if (!isLocal(url)) {
            guard.problems.push({ text: `request to another host: ${url}` });
            await route.abort('blockedbyclient');
            return;
        }
        await route.continue();
    });
    context.on('request', (req) => {
        guard.requests.push({ url: req.url(), method: req.method() });
    });
    context.on('requestfailed', (req) => {
        const url = req.url();
        if (!isLocal(url))
            return; /* already recorded as a request to another host */
        const why = req.failure()?.errorText || 'failed';
        // Leaving a page cancels what it was still loading (the favicon comes after the
        // load event): that is the test moving on, not a request that failed. A missing
        // file is a 404 (served) or net::ERR_FILE_NOT_FOUND (file://).
        if (why === 'net::ERR_ABORTED') {
            guard.aborted.push(url);
            return;
        }
        guard.problems.push({ text: `failed request: ${req.method()} ${url} (${why})` });
    });
    context.on('response', (res) => {
        const url = res.url();
        if (guard.stubs.some((s) => url.startsWith(s.prefix)))
            return;
        if (res.status() >= 400)
            guard.problems.push({ text: `HTTP ${res.status()} for ${res.request().method()} ${url}` });
        // headers() leaves out cookies; headersArray() has every header as sent.
        const reading = res.headersArray().then((headers) => {
            for (const h of headers) {
                if (h.name.toLowerCase() !== 'set-cookie')
                    continue;
                if (allowCookie?.(url, h.value))
                    guard.cookies.push({ url, value: h.value });
                else
                    guard.problems.push({ text: `Set-Cookie from ${url}: ${h.value}` });
            }
        }, () => { /* the page went away first; its headers were checked on other loads */ })
            .finally(() => guard.pending.delete(reading));
        guard.pending.add(reading);
    });
    context.on('page', (page) => watchPage(page, guard));
    return guard;
}

function watchPage(page, guard) {
    page.on('console', (msg) => {
        if (msg.type() === 'error')
            guard.problems.push({ text: `console error on ${page.url()}: ${msg.text()}` });
    });
    page.on('pageerror', (err) => {
        guard.problems.push({ text: `uncaught error on ${page.url()}: ${err.message}` });
    });
}

/* Loads url and asserts it answered (200 for http, any for file) and settled. */
export async function visit(page, url, { idle = false } = {}) {
    const res = await page.goto(url, { waitUntil: idle ? 'networkidle' : 'load' });
    if (url.startsWith('http')) {
        assert.ok(res, `no response for ${url}`);
        assert.equal(res.status(), 200, `${url} answered ${res.status()}`);
    }
    return res;
}

/*
 * The document's links, resolved, with their text and where on the page they sit (switcher:
 * in the language switcher).
 */
export async function links(page) {
    return page.$$eval('a[href]', (as) => as.map((a) => ({
        href: a.href,
        raw: a.getAttribute('href'),
        text: (a.textContent || '').replace(/\s+/g, ' ').trim(),
        inNav: !!a.closest('nav, header, footer'),
        inMain: !!a.closest('main'),
        rel: a.getAttribute('rel') || '',
        hreflang: a.getAttribute('hreflang') || '',
        switcher: !!a.closest('.langs'),
    })));
}

/* The address of a page without its fragment. */
export function pageKey(url) {
    const u = new URL(url);
    u.hash = '';
    return u.href;
}

/* True when url is a page of the site under base (not an asset, not outside). */
export function inSite(url, base) {
    if (!url.startsWith(base))
        return false;
    const rest = url.slice(base.length).replace(/[?#].*$/, '');
    if (rest.startsWith('assets/') || rest.startsWith('images/'))
        return false;
    if (/\.(css|js|svg|png|jpe?g|gz|txt|ico|webmanifest)$/.test(rest))
        return false;
    return true;
}

/*
 * Discovers the site by following every link from the start page, breadth first. Returns
 * the pages in the order found, each with the links on it and who it is written for
 * (audienceOf). Staff pages behind a login are left out. Fails on a page that does not load
 * cleanly. onPage(page, entry), when given, is called on each page once it is loaded and
 * its links are read, so that checks of every page need no second visit.
 */
export async function crawl(guard, start, base, { limit = 200, onPage } = {}) {
    const page = await guard.context.newPage();
    const seen = new Map();
    const queue = [pageKey(start)];
    const queued = new Set(queue);
    try {
        while (queue.length) {
            const url = queue.shift();
            assert.ok(seen.size < limit, `more than ${limit} pages: is the crawl looping?`);
            // On the first page, wait until everything it asks for (the icon too) arrived.
            await visit(page, url, { idle: seen.size === 0 });
            const found = await links(page);
            const title = await page.title();
            const audience = await audienceOf(page, base);
            const entry = { url, title, audience, links: found };
            seen.set(url, entry);
            if (onPage)
                await onPage(page, entry);
            for (const l of found) {
                // The same page in another language (/cy/...): the crawl stays in the start
                // page's language, so that a site in two languages does not take twice as long.
                if (!inSite(l.href, base) || l.hreflang)
                    continue;
                const key = pageKey(l.href);
                if (new URL(key).pathname.includes('/staff'))
                    continue;
                if (!queued.has(key)) {
                    queued.add(key);
                    queue.push(key);
                }
            }
        }
    } finally {
        await page.close();
    }
    return [...seen.values()];
}

/* The path of a page relative to the site's base, "" for the start page. */
export function rel(url, base) {
    return pageKey(url).slice(base.length);
}

/*
 * Runs axe-core on the page now loaded with the given WCAG tags and returns a readable line
 * for each violation. axe is evaluated through the DevTools protocol, which the pages'
 * Content-Security-Policy (rightly refusing inline script) does not govern, so a context
 * need not bypass the CSP for it and the page is checked exactly as a pupil gets it.
 */
export async function axeCheck(page, what) {
    if (!(await page.evaluate(() => typeof window.axe === 'object')))
        await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async (tags) => {
        // eslint-disable-next-line no-undef
        // From file:// axe cannot fetch the stylesheets for its CSS rules (the browser
        // refuses file:// XHR); the served pages, with the same CSS, have those checked.
        const r = await axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
            preload: location.protocol !== 'file:',
        });
        return r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({
                target: n.target.join(' '),
                html: n.html.slice(0, 200),
                summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
            })),
        }));
    }, AXE_TAGS);
    return result.map((v) => `${what}: [${v.impact}] ${v.id}: ${v.help}\n` +
        v.nodes.map((n) => `      at ${n.target}\n        ${n.html}\n        ${n.summary}`)
            .join('\n'));
}

/*
 * Saves what the first screen shows as DIR/name.png and the whole page as
 * DIR/name-full.png, for a person to look at; DIR is SCREENS unless dir is given.
 */
export async function screenshot(page, name, { dir = SCREENS } = {}) {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name.replace(/[^a-z0-9.-]+/gi, '_')}.png`);
    await page.screenshot({ path: file });
    await page.screenshot({ path: file.replace(/\.png$/, '-full.png'), fullPage: true });
    return file;
}

/*
 * The served site and the static export, started once per test file: `both` runs a test
 * body for each, `served` and `exported` describe where to start and how links look.
 */
export async function openSites() {
    const server = await startServer();
    let exp;
    try {
        exp = exportSite();
    } catch (e) {
        await server.stop();
        throw e;
    }
    return {
        server,
        exp,
        sites: [
            { name: 'served', start: server.url, base: server.url, served: true },
            { name: 'export', start: exp.url, base: exp.base, served: false },
        ],
        async close() {
            await server.stop();
            exp.remove();
            assertNoSanitizerReport(server);
        },
    };
}

/*
 * For a describe block: starts both sites (openSites) and one browser before its tests and
 * closes them after. The returned object's `sites` and `browser` are set once they run.
 */
export function useSitesAndBrowser() {
    const fx = { sites: null, browser: null };
    let env;
    before(async () => {
        assert.ok(binaryExists(), `${BIN} does not exist: build it first (make asan)`);
        env = await openSites();
        fx.sites = env.sites;
        fx.browser = await launchBrowser();
    }, { timeout: 120_000 });
    after(async () => {
        await fx.browser?.close();
        await env?.close();
    }, { timeout: 30_000 });
    return fx;
}

/*
 * For a describe block: starts `planpack serve` with args and one browser before its tests
 * and closes them after, failing on any sanitizer report. The returned object's `server`
 * and `browser` are set once they run.
 */
export function useServerAndBrowser(args) {
    const fx = { server: null, browser: null };
    before(async () => {
        assert.ok(binaryExists(), `${BIN} does not exist: build it first (make asan)`);
        fx.server = await startServer({ args });
        fx.browser = await launchBrowser();
    }, { timeout: 120_000 });
    after(async () => {
        await fx.browser?.close();
        if (fx.server) {
            await fx.server.stop();
            assertNoSanitizerReport(fx.server);
        }
    }, { timeout: 30_000 });
    return fx;
}

/*
 * Who a page is written for: "pupil", "parent" or "teacher", from the class "for-WHO" that
 * the renderer puts on <body>; where it is missing, from the addresses DESIGN.md gives the
 * adults' pages.
 */
export async function audienceOf(page, base) {
    const className = await page.evaluate(() => document.body?.className || '');
    return audienceFrom(className, page.url(), base);
}

/* audienceOf() for a page at url whose <body> has the classes className. */
function audienceFrom(className, url, base) {
    const m = /(?:^|\s)for-(\w+)/.exec(className);
    if (m)
        return m[1];
    const p = rel(url, base).replace(/\.html$/, '');
    if (/^(parents|teach|teachers|staff)(\b|$)/.test(p))
        return p.startsWith('parent') ? 'parent' : 'teacher';
    return 'pupil';
}

/*
 * The pages crawl() finds, each as { url, audience }, read without a browser: each page is
 * fetched (or read from disk, for file://) and its links are found in its HTML. For a test
 * that needs only the list: the browser's checks of every page load are crawl()'s, which
 * site.test.mjs runs on every page.
 */
export async function discover(start, base, { limit = 200 } = {}) {
    const seen = new Map();
    const queue = [pageKey(start)];
    const queued = new Set(queue);
    while (queue.length) {
        const url = queue.shift();
        assert.ok(seen.size < limit, `more than ${limit} pages: is the discovery looping?`);
        let html;
        if (url.startsWith('file:')) {
            html = fs.readFileSync(fileURLToPath(url), 'utf8');
        } else {
            const res = await fetch(url, { signal: AbortSignal.timeout(STEP_MS) });
            assert.equal(res.status, 200, `${url} answered ${res.status}`);
            html = await res.text();
        }
        const body = /<body[^>]*\sclass="([^"]*)"/.exec(html);
        seen.set(url, { url, audience: audienceFrom(body ? body[1] : '', url, base) });
        for (const [, attrs] of html.matchAll(/<a\s([^>]*)>/g)) {
            const href = /(?:^|\s)href="([^"]*)"/.exec(attrs);
            // As crawl(): the same page in another language is left out.
            if (!href || /(?:^|\s)hreflang=/.test(attrs))
                continue;
            const abs = new URL(href[1].replaceAll('&amp;', '&'), url).href;
            const key = pageKey(abs);
            if (!inSite(abs, base) || new URL(key).pathname.includes('/staff'))
                continue;
            if (!queued.has(key)) {
                queued.add(key);
                queue.push(key);
            }
        }
    }
    return [...seen.values()];
}

/*
 * The first element that Tab reaches from a freshly loaded page, described: tag, href,
 * accessible text, and whether it leads off the site.
 */
export async function firstTabStop(page) {
    await page.evaluate(() => {
        if (document.activeElement && document.activeElement !== document.body)
            document.activeElement.blur();
        window.scrollTo(0, 0);
    });
    await page.keyboard.press('Tab');
    return page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body)
            return null;
        return {
            tag: el.tagName.toLowerCase(),
            href: el.href || '',
            text: (el.getAttribute('aria-label') || el.textContent || '').replace(/\s+/g, ' ').trim(),
            id: el.id,
        };
    });
}

/*
 * The address of the first page linked from the start page whose <body> has the class
 * cls (the renderer marks each page kind: page-plan, page-story, ...). The answer is
 * remembered for the rest of the test file: a site's pages do not change while it runs,
 * and looking again would load up to every page linked from the start page each time.
 */
const kindFound = new Map();

export async function findPageOfKind(page, site, cls, { not } = {}) {
    const key = JSON.stringify([site.start, site.base, cls, not || '']);
    if (kindFound.has(key))
        return kindFound.get(key);
    await visit(page, site.start);
    const candidates = [...new Set((await links(page))
        .filter((l) => l.href.startsWith(site.base))
        .map((l) => pageKey(l.href)))];
    for (const url of candidates) {
        await visit(page, url);
        const hit = await page.evaluate(([c, n]) => document.body.classList.contains(c) &&
            !(n && document.body.classList.contains(n)), [cls, not]);
        if (hit) {
            kindFound.set(key, url);
            return url;
        }
    }
    assert.fail(`no page linked from the start page has the class ${cls}`);
}

/*
 * Calls fn(item, index) for every item with at most `width` calls under way at once, and
 * returns their results in the items' order. The first failure is thrown once every call
 * has ended, so that no call is left running into the next test.
 */
export async function eachAtOnce(items, width, fn) {
    const results = new Array(items.length);
    const errors = [];
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            try {
                results[i] = await fn(items[i], i);
            } catch (e) {
                errors.push(e);
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
    if (errors.length)
        throw errors[0];
    return results;
}

/*
 * Fills the plan form on the page now loaded as a young person would: ticks the first two
 * boxes of every list section (by clicking their labels), types into every text field,
 * each with a unique marker, and returns what a plan made from it must show.
 */
export async function fillPlan(page, marker) {
    const form = page.locator('form[data-plan]');
    assert.ok(await form.isVisible(), 'the plan form is not shown');
    const sections = form.locator('.plan-sec');
    const n = await sections.count();
    assert.ok(n >= 3, `the plan form has only ${n} sections`);
    const want = { titles: [], labels: [], texts: [] };
    for (let i = 0; i < n; i++) {
        const sec = sections.nth(i);
        want.titles.push((await sec.locator('.sec-title').innerText()).trim());
        const boxes = sec.locator('input[type=checkbox]');
        for (let k = 0; k < Math.min(2, await boxes.count()); k++) {
            const id = await boxes.nth(k).getAttribute('id');
            const label = sec.locator(`label[for="${id}"]`);
            await label.click();
            assert.ok(await boxes.nth(k).isChecked(), `clicking the label "${
                await label.innerText()}" did not tick its box`);
            want.labels.push((await label.innerText()).replace(/\s+/g, ' ').trim());
        }
        const fields = sec.locator('input:not([type]), input[type=text], textarea');
        for (let k = 0; k < await fields.count(); k++) {
            const text = `${marker}-${i}-${k}`;
            await fields.nth(k).click();
            await page.keyboard.type(text);
            want.texts.push(text);
        }
    }
    return want;
}

/* Asserts that the element shows every title, label and text of a filled plan. */
export async function assertPlanShows(locator, want, what) {
    assert.ok(await locator.isVisible(), `${what}: the plan is not visible`);
    const shown = (await locator.innerText()).replace(/\s+/g, ' ');
    const missing = [...want.labels, ...want.texts].filter((t) => !shown.includes(t));
    assert.deepEqual(missing, [], `${what}: the plan does not show these:\n${shown}`);
}

/* Whether an element is rendered at all (in the current media), by selector. */
export async function shownBySelector(page, selector) {
    return page.evaluate((sel) => [...document.querySelectorAll(sel)].map((el) => {
        const cs = getComputedStyle(el);
        return {
            sel,
            html: el.outerHTML.slice(0, 80),
            shown: el.getClientRects().length > 0 && cs.visibility !== 'hidden',
        };
    }), selector);
}

/* What a phone user would find wrong with the page now loaded, one line a problem. */
export async function phoneProblems(page, name) {
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
 * On the page now loaded: quick exit (a link off the site named by exitWord, the
 * language's word for it) must be the first thing Tab reaches on a pupil's page, and no
 * focused element may be hidden. One line a problem.
 */
export async function focusProblems(page, base, name, exitWord = /exit|leave/i) {
    const problems = [];
    if (await audienceOf(page, base) === 'pupil') {
        const first = await firstTabStop(page);
        if (!first || !/^https?:/.test(first.href) || first.href.startsWith(base) ||
            !exitWord.test(first.text))
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
