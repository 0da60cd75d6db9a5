// `planpack translate export|import` with GNU gettext's own programs as the translator's
// tool: export a package's texts as PO, translate them with msgen, msgattrib and msgfilter,
// import them, and see that check finds every text translated and that a second export
// gives back the same file. A PO file that no longer matches the package is refused whole.
// No server: the binary runs as a command.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, ROOT } from './lib.mjs';

const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'translations');

function run(cmd, args, opts = {}) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, ...opts });
    assert.ok(!r.error, `${cmd} could not run (scripts/deps --test installs gettext): ${r.error?.message}`);
    return r;
}

function planpack(...args) {
    return run(BIN, args);
}

/* Every file under dir, relative path → contents, to see that nothing was written. */
function snapshot(dir) {
    const out = {};
    const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory())
                walk(p);
            else
                out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
        }
    };
    walk(dir);
    return out;
}

describe('planpack translate', () => {
    let tmp;
    let pkg;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-translate-'));
        pkg = path.join(tmp, 'pkg');
        fs.cpSync(FIXTURE, pkg, { recursive: true });
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('exports every text with its id, source hash, and fuzzy when stale', () => {
        const r = planpack('translate', 'export', pkg, '--lang', 'cy');
        assert.equal(r.status, 0, r.stderr);
        const po = r.stdout;
        assert.match(po, /^"Language: cy\\n"$/m);
        // An up-to-date translation, with where it appears and its source's hash.
        assert.match(po, /#\. page 'The story', step 'ask', choice 1\n#\. source hash 6d6134ff\n#: pages\/story\.md:\d+\nmsgctxt "story\/step:ask\/choice:1"\nmsgid "Say no"\nmsgstr "Dweud na"\n/);
        // A translation of an earlier source text: fuzzy, so a translator looks again.
        assert.match(po, /#, fuzzy\nmsgctxt "story\/step:ask\/message:1"\nmsgid "Send me a picture"\nmsgstr "Anfona lun ata i"\n/);
        // An untranslated one, and the package's own texts.
        assert.match(po, /msgctxt "story\/step:sent\/text"\nmsgid "The picture was shared\."\nmsgstr ""\n/);
        assert.match(po, /msgctxt "package\.yaml\/support:childline\/for"\nmsgid "Anyone under 19\."\n/);
        // Translations whose ids are gone are not offered.
        assert.doesNotMatch(po, /step:gone/);
    });

    it('imports a file translated with gettext tools; check then finds nothing missing, and a second export round-trips', () => {
        const exported = path.join(tmp, 'cy.po');
        assert.equal(planpack('translate', 'export', pkg, '--lang', 'cy', '-o', exported).status, 0);
        // The translator's work: fill every message, confirm the fuzzy one, translate.
        const filled = path.join(tmp, 'filled.po');
        const confirmed = path.join(tmp, 'confirmed.po');
        const translated = path.join(tmp, 'translated.po');
        let r = run('msgen', ['-o', filled, exported]);
        assert.equal(r.status, 0, r.stderr);
        r = run('msgattrib', ['--clear-fuzzy', '-o', confirmed, filled]);
        assert.equal(r.status, 0, r.stderr);
        r = run('msgfilter', ['--keep-header', '-i', confirmed, '-o', translated, 'sed', '-e', 's/^/[cy] /']);
        assert.equal(r.status, 0, r.stderr);

        r = planpack('translate', 'import', pkg, translated, '--lang', 'cy');
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /imported 17 translated texts/);
        // support:nspcc/name and step:gone/title name nothing the package has.
        assert.match(r.stdout, /2 translations of texts the package no longer has were left out/);
        const story = fs.readFileSync(path.join(pkg, 'translations', 'cy', 'pages', 'story.yaml'), 'utf8');
        assert.match(story, /- id: "step:ask\/message:1"\n {4}source: "50ea71ce"\n {4}text: "\[cy\] Anfona lun ata i"\n/);

        r = planpack('check', pkg);
        assert.equal(r.status, 0, r.stderr);
        const warnings = r.stderr.split('\n').filter((l) => l.includes('warning:'));
        assert.deepEqual(warnings.map((l) => l.replace(/^.*?translations\//, 'translations/')),
            ['translations/cy/package.yaml:4: warning: draft translation, not yet reviewed (cy)']);
        assert.match(r.stdout, /Reading age of the cy translation not measured: the Flesch-Kincaid formula is for English\./);

        const again = planpack('translate', 'export', pkg, '--lang', 'cy');
        assert.equal(again.status, 0, again.stderr);
        assert.equal(again.stdout, fs.readFileSync(translated, 'utf8'));
    });

    it('refuses a file whose msgid no longer matches the source, or whose id is unknown, writing nothing', () => {
        const good = planpack('translate', 'export', pkg, '--lang', 'cy').stdout;
        const changed = path.join(tmp, 'changed.po');
        fs.writeFileSync(changed, good
            .replace('msgid "Say no"', 'msgid "Say no way"')
            .replace('msgctxt "story/step:sent/text"', 'msgctxt "story/step:gone/text"'));
        const before = snapshot(pkg);
        const r = planpack('translate', 'import', pkg, changed, '--lang', 'cy');
        assert.equal(r.status, 1);
        assert.match(r.stderr, /changed\.po: error: 'story\/step:ask\/choice:1': its msgid is not the source text as the package has it now \(pages\/story\.md:\d+\)/);
        assert.match(r.stderr, /changed\.po: error: 'story\/step:gone\/text' is not a text of this package/);
        assert.match(r.stderr, /2 problems, so nothing was imported/);
        assert.deepEqual(snapshot(pkg), before);
    });

    it('refuses a file for another language, and one that is not PO', () => {
        const po = path.join(tmp, 'cy-again.po');
        assert.equal(planpack('translate', 'export', pkg, '--lang', 'cy', '-o', po).status, 0);
        let r = planpack('translate', 'import', pkg, po, '--lang', 'pl');
        assert.equal(r.status, 1);
        assert.match(r.stderr, /this file is a translation into 'cy', not 'pl'/);
        const broken = path.join(tmp, 'broken.po');
        fs.writeFileSync(broken, 'msgid "unterminated\nmsgstr ""\n');
        r = planpack('translate', 'import', pkg, broken, '--lang', 'cy');
        assert.equal(r.status, 1);
        assert.match(r.stderr, /broken\.po:2: error: end-of-line within string/);
        assert.match(r.stderr, /not read as a PO file, so nothing was imported/);
    });

    it('keeps a translation exactly, whatever its spaces, quotes, line ends or YAML-like marks', () => {
        // Each translation as a translator might write it, and as import must keep it.
        const texts = {
            'start/title': '  leading spaces, "quotes", a \\ backslash and a\ttab',
            'start/body': 'line one\n\n  indented line\n\nlast\n\n\n',
            'story/title': '# not a comment: {not: a map} [nor a list] - & * ! | >',
            'story/character:sam/name': 'Siôn – ŵ ŷ 😀',
            'story/step:ask/message:2': 'two\nlines',
            'story/step:no/text': 'trailing spaces   \nnext line',
        };
        const sources = {};
        const exported = planpack('translate', 'export', pkg, '--lang', 'cy');
        for (const m of exported.stdout.matchAll(/msgctxt "([^"]+)"\nmsgid ((?:".*"\n)+)/g))
            sources[m[1]] = m[2];
        const po = ['msgid ""', 'msgstr ""', '"Language: cy\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"', ''];
        const quote = (t) => JSON.stringify(t).replace(/\\u([0-9a-f]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
        for (const [ctx, text] of Object.entries(texts)) {
            assert.ok(sources[ctx], `no message ${ctx} in the export`);
            po.push(`msgctxt "${ctx}"`, `msgid ${sources[ctx].trimEnd()}`, `msgstr ${quote(text)}`, '');
        }
        const file = path.join(tmp, 'edges.po');
        fs.writeFileSync(file, po.join('\n'));
        let r = planpack('translate', 'import', pkg, file, '--lang', 'cy');
        assert.equal(r.status, 0, r.stderr);
        assert.equal(planpack('check', pkg).status, 0);
        // Read every message of a second export back with gettext's msgexec, byte for byte.
        const again = path.join(tmp, 'edges-again.po');
        assert.equal(planpack('translate', 'export', pkg, '--lang', 'cy', '-o', again).status, 0);
        r = run('msgexec', ['-i', again, 'sh', '-c', 'printf "%s\\001" "$MSGEXEC_MSGCTXT"; cat; printf "\\002"']);
        assert.equal(r.status, 0, r.stderr);
        const got = Object.fromEntries(r.stdout.split('\u0002').filter((x) => x.includes('\u0001')).map((x) => x.split('\u0001')));
        for (const [ctx, text] of Object.entries(texts))
            assert.equal(got[ctx], text, ctx);
    });
});
