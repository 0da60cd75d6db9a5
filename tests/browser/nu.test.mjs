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

import { binaryExists, exportSite, startServer, tmpdir } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const VNU = path.join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

// Checks the files with the Nu checker, in one run (Java takes seconds to start); returns
// its error lines for each file, as a Map from the file's path (none when all is well).
function nuErrors(files) {
    const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'text', ...files], {
        encoding: 'utf8',
        timeout: 300_000,
    });
    assert.ok(r.status === 0 || r.status === 1, `the Nu checker failed to run: ${r.error || r.stderr}`);
    const byFile = new Map(files.map((f) => [f, []]));
    const lines = (r.stdout + r.stderr).split('\n').filter((l) => /^Error:|^From line/.test(l));
    // Each error is an "Error:" line, then a "From line ... in resource file:PATH" line.
    let pending = [];
    for (const line of lines) {
        pending.push(line);
        const m = / in resource (file:\S+)\s*$/.exec(line);
        if (!m)
            continue;
        const file = fileURLToPath(m[1]);
        if (!byFile.has(file))
            byFile.set(file, []);
        byFile.get(file).push(...pending);
        pending = [];
    }
    if (pending.length)
        byFile.set('(no file named)', pending);
    return byFile;
}

// What the checker said of these files, with the lines it did not place under any file.
function errorsIn(byFile, files) {
    return [...files, '(no file named)'].flatMap((f) => byFile.get(f) || []);
}

describe('the Nu HTML checker', { skip: !binaryExists() && 'no planpack binary' }, () => {
    let site;
    let server;
    let served; // a folder of its own for the pages the server made for one response
    const exported = [];
    const made = [];
    let errors;

    // Both sets of pages are checked by one run of the checker, before the tests read what
    // it found in each.
    before(async () => {
        site = exportSite();
        server = await startServer();
        served = tmpdir('nu');
        const pages = fs.readdirSync(site.dir).filter((f) => f.endsWith('.html'));
        assert.ok(pages.includes('teach.html') && pages.length > 5, pages.join(' '));
        exported.push(...pages.map((f) => path.join(site.dir, f)));
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
        for (const [name, p, init] of asks) {
            const res = await fetch(`${server.url}${p.slice(1)}`, init);
            const file = path.join(served, `served-${name}.html`);
            fs.writeFileSync(file, await res.text());
            made.push(file);
        }
        errors = nuErrors([...exported, ...made]);
    }, { timeout: 600_000 });
    after(async () => {
        site?.remove();
        if (served)
            fs.rmSync(served, { recursive: true, force: true });
        await server?.stop();
    });

    it('finds no error in the exported site', () => {
        assert.deepEqual(errorsIn(errors, exported), []);
    });

    it('finds no error in the pages made for one response', () => {
        assert.deepEqual(errorsIn(errors, made), []);
    });
});
