// serve --watch, for authors: a change to the package is served without a restart; while
// the package has errors everyone keeps the last version that worked, the terminal prints
// the errors and /_problems lists them (escaped) to this computer alone; once they are fixed
// the next reload serves the package. Requests keep being answered, whole, across reloads.
// A package with errors from the start is not served at all.

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

    it('keeps serving the last version that worked while the package has errors, and shows them only on this computer', async () => {
        const startFile = path.join('pages', 'start.md');
        const startText = fs.readFileSync(path.join(dir, startFile), 'utf8');
        save(startFile, `${startText.trimEnd()}\n\nGoodMarker3307 is the last good version.\n`);
        await waitFor(async () => (await request(server, { path: '/' })).body.toString().includes('GoodMarker3307'), {
            ms: 15000,
            what: 'the last good version',
        });
        const pupilPaths = ['/', '/feedback', '/staff/login'];
        const good = {};
        for (const p of pupilPaths) {
            const res = await request(server, { path: p });
            assert.equal(res.status, 200, p);
            good[p] = res.body.toString('utf8');
        }

        // A typo in package.yaml (an unclosed list) and a page with a key that is not one.
        const stderrBefore = server.stderr.length;
        save('package.yaml', original.replace(/^title: (.*)$/m, 'title: [$1'));
        save(startFile, startText.replace(/^title: .*$/m, `$&\n${BAD_KEY}`).replace(/\n*$/, '\n\nBrokenMarker5521 is not served.\n'));
        await waitFor(() => /still serving the last version that worked/.test(server.stderr.slice(stderrBefore)), {
            ms: 15000,
            what: 'the failed reload in the terminal',
        });
        const log = server.stderr.slice(stderrBefore);
        // As `planpack check` prints them: FILE:LINE: error: MESSAGE.
        assert.ok(log.includes(`${dir}/package.yaml:6: error: YAML syntax error`), log);
        assert.ok(log.includes(`${dir}/pages/start.md:3: error: unknown key '<img src=x onerror=alert(1)>'`), log);

        // Pupils and staff keep the last good version, without errors or the server's folder.
        const pupil = { 'x-forwarded-for': '203.0.113.9' };
        for (const p of pupilPaths) {
            for (const headers of [{}, pupil]) {
                const res = await request(server, { path: p, headers });
                const html = res.body.toString('utf8');
                assert.equal(res.status, 200, p);
                if (p !== '/staff/login') // its form carries a fresh token each time
                    assert.equal(html, good[p], p);
                assert.ok(!html.includes('BrokenMarker5521'), p);
            }
        }
        assert.ok(good['/'].includes('GoodMarker3307'));
        for (const p of [...pupilPaths, '/plan', '/teach', '/no-such-page', '/_problems']) {
            for (const headers of [{}, pupil]) {
                const html = (await request(server, { path: p, headers })).body.toString('utf8');
                assert.ok(!html.includes(dir), `${p} shows the server's folder`);
                assert.ok(!html.includes(os.tmpdir()), `${p} shows the server's folder`);
            }
        }

        // The author's page: on this computer only; not through a proxy, even one on it.
        const author = await request(server, { path: '/_problems' });
        assert.equal(author.status, 200);
        assert.equal(author.headers['cache-control'], 'no-store');
        assertSecurityHeaders(author, 'author page');
        const html = author.body.toString('utf8');
        assert.match(html, /package\.yaml:6: error: YAML syntax error/);
        assert.match(html, /pages\/start\.md:3: error: unknown key/);
        assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the key is not shown escaped');
        assert.ok(!html.includes('<img'), 'the key reached the page unescaped');
        for (const headers of [pupil, { 'x-real-ip': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }]) {
            const res = await request(server, { path: '/_problems', headers });
            assert.equal(res.status, 404, JSON.stringify(headers));
            assert.doesNotMatch(res.body.toString('utf8'), /error:|unknown key|YAML/);
        }
        assert.equal((await request(server, { path: '/healthz' })).status, 200);

        // Fixed: the next reload serves the new version, and the author's page says so.
        save('package.yaml', original);
        save(startFile, `${startText.trimEnd()}\n\nFixedMarker8140 is the new version.\n`);
        await waitFor(async () => (await request(server, { path: '/' })).body.toString().includes('FixedMarker8140'), {
            ms: 15000,
            what: 'the fixed package',
        });
        const after = (await request(server, { path: '/_problems' })).body.toString('utf8');
        assert.match(after, /No errors in the package/);
        assert.doesNotMatch(after, /error:/);
        save(startFile, startText);
        await waitFor(async () => !(await request(server, { path: '/' })).body.toString().includes('FixedMarker8140'), {
            ms: 15000,
            what: 'the page as it was',
        });
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
                else if (res.status !== 200)
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

describe('serve --watch behind a proxy', () => {
    // Behind a proxy on this machine every request arrives from 127.0.0.1, pupils' too: none
    // of them is the author's, whatever headers the proxy sends or forgets to send.
    for (const [what, args, status] of [
        ['--behind-tls (a proxy on this machine)', ['--behind-tls'], 404],
        ['--trusted-proxy on another machine', ['--trusted-proxy', '192.0.2.1'], 200],
    ]) {
        it(`with ${what}, a request from 127.0.0.1 without proxy headers gets ${status} at /_problems`, async () => {
            const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-watch-proxy-'));
            let srv;
            try {
                fs.cpSync(path.join(ROOT, 'packages', 'default'), copy, { recursive: true });
                srv = await startServer({ args: [copy, '--watch', ...args] });
                const res = await request(srv, { path: '/_problems' });
                assert.equal(res.status, status);
                assert.equal(/No errors in the package/.test(res.body.toString('utf8')), status === 200);
            } finally {
                if (srv)
                    await srv.stopClean();
                fs.rmSync(copy, { recursive: true, force: true });
            }
        });
    }
});

describe('serve --watch usage', () => {
    it('needs a package folder', () => {
        const r = spawnSync(BIN, ['serve', '--watch', '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /--watch needs a package folder/);
    });

    it('exits 1 with the errors when the package has errors from the start', () => {
        const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-watch-broken-'));
        try {
            fs.cpSync(path.join(ROOT, 'packages', 'default'), broken, { recursive: true });
            const yaml = fs.readFileSync(path.join(broken, 'package.yaml'), 'utf8');
            fs.writeFileSync(path.join(broken, 'package.yaml'), yaml.replace(/^title: (.*)$/m, 'title: [$1'));
            const r = spawnSync(BIN, ['serve', broken, '--watch', '--listen', '127.0.0.1:0', '--db', path.join(broken, 'f.db')], {
                encoding: 'utf8',
                timeout: 30_000,
            });
            assert.equal(r.status, 1, r.stderr);
            assert.ok(r.stderr.includes(`${broken}/package.yaml:6: error: YAML syntax error`), r.stderr);
            assert.match(r.stderr, /no version of it to serve/);
            assert.doesNotMatch(r.stdout, /serving on/);
        } finally {
            fs.rmSync(broken, { recursive: true, force: true });
        }
    });

    it('says so when the folder does not exist', () => {
        const missing = path.join(os.tmpdir(), 'planpack-no-such-folder-7731');
        const r = spawnSync(BIN, ['serve', missing, '--watch', '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /not a readable folder/);
        assert.doesNotMatch(r.stdout, /serving on/);
    });
});
