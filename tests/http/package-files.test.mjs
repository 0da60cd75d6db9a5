// A package is read as plain files inside its folder: a link in it (to the server's
// environment, to a folder outside) is refused by check, serve and export alike, and its
// target is never served or copied; only the pictures pages use are published, and an SVG
// is published cleaned of scripts, event handlers, foreignObject, outside references and
// javascript: in any spelling.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, request, startServer, waitFor } from './lib.mjs';

// The server's environment carries this; it must never appear in what is served.
const SECRET = 'planpack-test-secret-4f1c9a';
process.env.PLANPACK_PACKAGE_FILES_SECRET = SECRET;

const SNEAKY_SVG = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg"
     xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload ="alert(1)">
  <svg:script>alert(2)</svg:script>
  <a xlink:href="javascript&#58;alert(3)"><circle cx="5" cy="5" r="4"/></a>
  <rect width="10" height="10" fill="url(https://example.com/track.svg#p)"/>
  <foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject>
  <use href="https://example.com/sprite.svg#x"/>
  <use xlink:href="java&#x09;script:alert(4)"/>
  <circle cx="5" cy="5" r="2" fill="#cc3333"><title>A red dot</title></circle>
</svg>
`;
const GONE = [/script/i, /onload/i, /alert/, /foreignObject/i, /example\.com/, /<a[\s>]/, /xhtml/];

// The smallest PNG signature and header: enough to be what its name says.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function makePackage({ links }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-pkgfiles-'));
    fs.mkdirSync(path.join(dir, 'pages'));
    fs.mkdirSync(path.join(dir, 'images'));
    fs.writeFileSync(path.join(dir, 'package.yaml'),
        'id: files\ntitle: Files\nversion: 1.0.0\nlanguage: en-GB\naudience: Testers\nreading_age: 11\npages:\n  - start\n');
    let page = '---\ntitle: Start\n---\nA dot for you to look at.\n\n![a red dot](images/dot.svg)\n';
    if (links)
        page += '\n![the environment](images/env.png)\n';
    fs.writeFileSync(path.join(dir, 'pages', 'start.md'), page);
    fs.writeFileSync(path.join(dir, 'images', 'dot.svg'), SNEAKY_SVG);
    fs.writeFileSync(path.join(dir, 'images', 'unused.png'), PNG);
    if (links) {
        fs.symlinkSync('/proc/self/environ', path.join(dir, 'images', 'env.png'));
        fs.symlinkSync('/etc', path.join(dir, 'images', 'etc'));
    }
    return dir;
}

function run(...args) {
    return spawnSync(BIN, args, { encoding: 'utf8', timeout: 60_000 });
}

function filesUnder(dir) {
    if (!fs.existsSync(dir))
        return [];
    return fs.readdirSync(dir, { recursive: true }).map(String);
}

describe('a package with links in it', () => {
    let dir;
    before(() => (dir = makePackage({ links: true })));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('check names each link as an error at its file, and the page that uses one', () => {
        const r = run('check', dir);
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, /\/images\/env\.png:0: error: this is a link, and links are not followed/);
        assert.match(r.stderr, /\/images\/etc:0: error: this is a link, and links are not followed/);
        assert.match(r.stderr, /\/pages\/start\.md:8: error: image 'images\/env\.png' is not a file in the package/);
        assert.doesNotMatch(r.stdout + r.stderr, new RegExp(SECRET));
    });

    it('export refuses it and copies nothing it points at', () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-pkgfiles-out-'));
        try {
            const r = run('export', dir, '-o', path.join(out, 'site'));
            assert.equal(r.status, 1, r.stderr);
            assert.match(r.stderr, /images\/env\.png:0: error: this is a link/);
            const files = filesUnder(path.join(out, 'site'));
            assert.ok(!files.some((f) => /env\.png|passwd|etc/.test(f)), files.join('\n'));
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it('serve refuses to start with it', async () => {
        await assert.rejects(startServer({ args: [dir] }), /images\/env\.png:0: error: this is a link/);
    });

    it('serve --watch, given a link while it runs, never serves what the link points at', async () => {
        const clean = makePackage({ links: false });
        const server = await startServer({ args: [clean, '--watch'] });
        try {
            fs.symlinkSync('/proc/self/environ', path.join(clean, 'images', 'env.png'));
            fs.symlinkSync('/etc', path.join(clean, 'images', 'etc'));
            fs.appendFileSync(path.join(clean, 'pages', 'start.md'), '\n![the environment](images/env.png)\n');
            await waitFor(() => /images\/env\.png:0: error: this is a link/.test(server.stderr),
                { ms: 20_000, what: 'the reload that finds the link' });
            for (const p of ['/images/env.png', '/images/etc/passwd', '/images/etc/hostname']) {
                const res = await request(server, { path: p });
                assert.notEqual(res.status, 200, p);
                assert.doesNotMatch(res.body.toString('latin1'), new RegExp(`${SECRET}|root:x:0:0`), p);
            }
        } finally {
            await server.stop();
            fs.rmSync(clean, { recursive: true, force: true });
        }
    });
});

describe('the pictures of a package', () => {
    let dir;
    before(() => (dir = makePackage({ links: false })));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('check warns of a picture no page uses, and of what was taken out of an SVG', () => {
        const r = run('check', dir);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /\/images\/unused\.png:1: warning: no page uses this picture, so it is not published/);
        assert.match(r.stderr, /\/images\/dot\.svg:2: warning: taken out of this picture: the event handler onload/);
        assert.match(r.stderr, /\/images\/dot\.svg:3: warning: taken out of this picture: the element <script>/);
    });

    it('serve publishes the used SVG cleaned, and not the unused picture', async () => {
        const server = await startServer({ args: [dir] });
        try {
            const svg = await request(server, { path: '/images/dot.svg' });
            assert.equal(svg.status, 200);
            const text = svg.body.toString('utf8');
            assert.match(text, /<circle cx="5" cy="5" r="2" fill="#cc3333"><title>A red dot<\/title><\/circle>/);
            for (const re of GONE)
                assert.doesNotMatch(text, re);
            const unused = await request(server, { path: '/images/unused.png' });
            assert.equal(unused.status, 404);
        } finally {
            await server.stopClean();
        }
    });

    it('export writes the used SVG cleaned, and not the unused picture', () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-pkgfiles-out-'));
        try {
            const r = run('export', dir, '-o', path.join(out, 'site'));
            assert.equal(r.status, 0, r.stderr);
            const text = fs.readFileSync(path.join(out, 'site', 'images', 'dot.svg'), 'utf8');
            assert.match(text, /<title>A red dot<\/title>/);
            for (const re of GONE)
                assert.doesNotMatch(text, re);
            assert.ok(!fs.existsSync(path.join(out, 'site', 'images', 'unused.png')));
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });
});
