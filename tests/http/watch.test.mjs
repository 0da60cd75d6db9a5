// serve --watch, for authors: a change to the package is served without a restart; while
// the package has errors every page lists them (escaped) and the terminal prints them; once
// they are fixed the site comes back. Requests keep being answered, whole, across reloads.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, ROOT, assertSecurityHeaders, request, startServer, waitFor } from './lib.mjs';

const BAD_KEY = '"<img src=x onerror=alert(1)>": 1';

let dir;
let server;
let original; // package.yaml as it came

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-watch-'));
    fs.cpSync(path.join(ROOT, 'packages', 'default'), dir, { recursive: true });
    original = fs.readFileSync(path.join(dir, 'package.yaml'), 'utf8');
    server = await startServer({ args: [dir, '--watch'] });
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

// Writes a file the way an editor saves: to a temporary name, then renamed over the old.
function save(name, text) {
    const file = path.join(dir, name);
    fs.writeFileSync(`${file}.tmp~`, text);
    fs.renameSync(`${file}.tmp~`, file);
}

describe('serve --watch', () => {
    it('serves a saved change without a restart', async () => {
        const start = await request(server, { path: '/' });
        assert.equal(start.status, 200);
        const pages = fs.readdirSync(path.join(dir, 'pages'));
        const startPage = pages.find((p) => /^start\./.test(p));
        assert.ok(startPage, `no start page among ${pages.join(', ')}`);
        const file = path.join('pages', startPage);
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        // A new paragraph at the end of the page's Markdown body.
        save(file, `${text.trimEnd()}\n\nWatchMarker8841 is new here.\n`);
        await waitFor(async () => (await request(server, { path: '/' })).body.toString().includes('WatchMarker8841'), {
            ms: 15000,
            what: 'the changed page',
        });
        save(file, text);
        await waitFor(async () => !(await request(server, { path: '/' })).body.toString().includes('WatchMarker8841'), {
            ms: 15000,
            what: 'the page as it was',
        });
    });

    it('shows errors in the terminal and, escaped, in place of every page, until they are fixed', async () => {
        const good = await request(server, { path: '/' });
        assert.equal(good.status, 200);
        const stderrBefore = server.stderr.length;
        save('package.yaml', `${original.trimEnd()}\n${BAD_KEY}\n`);

        const broken = await waitFor(
            async () => {
                const res = await request(server, { path: '/' });
                return res.status !== 200 ? res : null;
            },
            { ms: 15000, what: 'the error page' },
        );
        assert.ok(broken.status === 503 || broken.status === 500, `status ${broken.status}`);
        assert.equal(broken.headers['content-type'], 'text/html; charset=utf-8');
        assert.equal(broken.headers['cache-control'], 'no-store');
        assertSecurityHeaders(broken, 'error page');
        const html = broken.body.toString('utf8');
        assert.match(html, /package\.yaml:\d+: error: unknown key/);
        assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the key is not shown escaped');
        assert.ok(!html.includes('<img'), 'the key reached the page unescaped');
        // Every page, and the forms, show the same; the health check still says the server runs.
        for (const [method, p] of [['GET', '/plan'], ['GET', '/no-such-page'], ['POST', '/plan']]) {
            const res = await request(server, {
                method,
                path: p,
                headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
                body: method === 'POST' ? 'a=b' : undefined,
            });
            assert.ok(res.status === 503 || res.status === 500, `${method} ${p}: ${res.status}`);
            assert.match(res.body.toString('utf8'), /unknown key/, `${method} ${p}`);
        }
        assert.equal((await request(server, { path: '/healthz' })).status, 200);
        await waitFor(() => /package\.yaml:\d+: error: unknown key '<img src=x onerror=alert\(1\)>'/.test(server.stderr.slice(stderrBefore)), {
            what: 'the error in the terminal',
        });

        save('package.yaml', original);
        const fixed = await waitFor(
            async () => {
                const res = await request(server, { path: '/' });
                return res.status === 200 ? res : null;
            },
            { ms: 15000, what: 'the site to come back' },
        );
        assert.deepEqual(fixed.body, good.body);
    });

    it('answers every request whole while it reloads again and again', async () => {
        const plain = (await request(server, { path: '/' })).body;
        const reloads = () => (server.stderr.match(/serving \d+ pages/g) || []).length;
        const reloadsBefore = reloads();
        const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
        let stop = false;
        const failures = [];
        let done = 0;
        const worker = async () => {
            while (!stop) {
                const res = await request(server, { path: '/', agent }).catch((e) => ({ error: e }));
                if (res.error)
                    failures.push(res.error.message);
                else if (res.status === 200 && !res.body.equals(plain))
                    failures.push('a page that is neither the old nor the new one');
                else if (res.status !== 200 && res.status !== 503)
                    failures.push(`status ${res.status}`);
                done++;
            }
        };
        const workers = Array.from({ length: 16 }, worker);
        // Touching package.yaml (same content) reloads it each time.
        for (let i = 0; i < 6; i++) {
            save('package.yaml', original);
            await new Promise((r) => setTimeout(r, 700));
        }
        stop = true;
        await Promise.all(workers);
        agent.destroy();
        assert.deepEqual(failures, []);
        assert.ok(done > 50, `only ${done} requests were made`);
        await waitFor(() => reloads() >= reloadsBefore + 2, { what: 'the reloads in the terminal' });
    });
});

describe('serve --watch usage', () => {
    it('needs a package folder', () => {
        const r = spawnSync(BIN, ['serve', '--watch', '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /--watch needs a package folder/);
    });

    it('says so when the folder does not exist', () => {
        const missing = path.join(os.tmpdir(), 'planpack-no-such-folder-7731');
        const r = spawnSync(BIN, ['serve', missing, '--watch', '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /not a readable folder/);
        assert.doesNotMatch(r.stdout, /serving on/);
    });
});
