// The W3C Nu HTML checker (vnu-jar from npm, on Debian's Java runtime) finds no error in
// the exported site, nor in the pages the server makes for one response (a message, the
// feedback form with a reason, a plan): markup a browser has to repair may be read
// differently by a screen reader, and a skipped heading level is such an error.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { binaryExists, exportSite, startServer } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const VNU = path.join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

// Checks the files with the Nu checker; returns its error lines (none when all is well).
function nuErrors(files) {
    const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'text', ...files], {
        encoding: 'utf8',
        timeout: 300_000,
    });
    assert.ok(r.status === 0 || r.status === 1, `the Nu checker failed to run: ${r.error || r.stderr}`);
    return (r.stdout + r.stderr).split('\n').filter((l) => /^Error:|^From line/.test(l));
}

describe('the Nu HTML checker', { skip: !binaryExists() && 'no planpack binary' }, () => {
    let site;
    let server;
    before(async () => {
        site = exportSite();
        server = await startServer();
    });
    after(async () => {
        site?.remove();
        await server?.stop();
    });

    it('finds no error in the exported site', () => {
        const pages = fs.readdirSync(site.dir).filter((f) => f.endsWith('.html'));
        assert.ok(pages.includes('teach.html') && pages.length > 5, pages.join(' '));
        const errors = nuErrors(pages.map((f) => path.join(site.dir, f)));
        assert.deepEqual(errors, []);
    });

    it('finds no error in the pages made for one response', async () => {
        const asks = [
            ['not-found', '/no/such/page', {}],
            ['bad-form', '/plan', { method: 'POST', headers: FORM, body: 'a=%zz' }],
            ['plan', '/plan', { method: 'POST', headers: FORM, body: 'layout=card' }],
            ['feedback-reason', '/feedback', { method: 'POST', headers: FORM, body: 'c=ABCDEFGH' }],
            // Every answer kept, with a problem beside the code and one beside the comment.
            ['feedback-kept', '/feedback', {
                method: 'POST', headers: FORM,
                body: `c=ABCD-EFGH&q-law-end=yes&q-helpful=h-story&q-comment=${'x'.repeat(501)}`,
            }],
            ['feedback-sent', '/feedback/sent', {}],
            ['teach-class', '/teach?c=ABCD-EFGH', {}],
        ];
        const files = [];
        for (const [name, p, init] of asks) {
            const res = await fetch(`${server.url}${p.slice(1)}`, init);
            const file = path.join(site.dir, `served-${name}.html`);
            fs.writeFileSync(file, await res.text());
            files.push(file);
        }
        assert.deepEqual(nuErrors(files), []);
    });
});
