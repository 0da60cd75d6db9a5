// Every program that a test or a benchmark runs comes from a package that scripts/deps
// installs for that mode (or from the base system every Debian machine has).
//
// A program that happens to be on a developer's machine hides a missing install step until
// a fresh machine fails: the HTTP tests once ran the sqlite3 command, which only
// `scripts/deps --bench` installed. This test finds such a program on any machine with
// dpkg, from the packages' own dependency records; scripts/fresh-check proves the same on
// a bare Debian 12.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/* The files below dir (relative to the root) whose names match re, node_modules left out. */
function files(dir, re) {
    const out = [];
    const walk = (d) => {
        for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
            const rel = path.join(d, e.name);
            if (e.isDirectory() && e.name !== 'node_modules')
                walk(rel);
            else if (e.isFile() && re.test(e.name))
                out.push(rel);
        }
    };
    walk(dir);
    return out;
}

/*
 * The programs a JavaScript test starts by name ("spawnSync('sqlite3', …)") or by an
 * absolute path written as a string ('/usr/bin/chromium'); the map's values say where.
 */
function programsOfTests() {
    const found = new Map();
    const self = path.relative(ROOT, fileURLToPath(import.meta.url));
    for (const f of files('tests', /\.m?js$/).filter((f) => f !== self)) {
        const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
        const calls = /\b(?:spawn|spawnSync|execFile|execFileSync)\(\s*'([\w.+-]+)'/g;
        const paths = /'(\/usr\/s?bin\/[\w.+-]+)'/g;
        for (const re of [calls, paths])
            for (const m of text.matchAll(re))
                if (!found.has(m[1]))
                    found.set(m[1], f);
    }
    // A C unit test runs a program by its absolute path ("/usr/bin/python3 ..." to popen()).
    for (const f of files('tests', /\.c$/)) {
        const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
        for (const m of text.matchAll(/"(\/usr\/s?bin\/[\w.+-]+)/g))
            if (!found.has(m[1]))
                found.set(m[1], f);
    }
    return found;
}

/* The programs a benchmark script checks for with `command -v` or in a `for tool in` list. */
function programsOfBenchmarks() {
    const found = new Map();
    for (const f of files('bench', /^[a-z][\w-]*$/)) {
        const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
        for (const m of text.matchAll(/command -v "?([\w.+-]+)"?/g))
            found.set(m[1], f);
        for (const m of text.matchAll(/^\s*for tool in ([^;]+);/gm))
            for (const w of m[1].split(/\s+/))
                if (/^[\w.+-]+$/.test(w))
                    found.set(w, f);
    }
    return found;
}

/* Installed packages: name → { deps: [[alternatives…]…], essential }; virtual names → providers. */
function installedPackages() {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Package}\t${db:Status-Abbrev}\t${Essential}\t${Priority}\t${Pre-Depends}\t${Depends}\t${Provides}\n'],
        { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, `dpkg-query: ${r.stderr}`);
    const pkgs = new Map();
    const provides = new Map();
    const names = (field) => field.split(',').map((s) => s.trim()).filter(Boolean)
        .map((alts) => alts.split('|').map((a) => a.trim().split(/[\s:(]/)[0]));
    for (const line of r.stdout.split('\n')) {
        const [name, status, essential, priority, pre, deps, prov] = line.split('\t');
        if (!name || !status.startsWith('ii'))
            continue;
        pkgs.set(name, {
            deps: [...names(pre), ...names(deps)],
            base: essential === 'yes' || priority === 'required',
        });
        for (const [p] of names(prov || ''))
            provides.set(p, [...(provides.get(p) || []), name]);
    }
    return { pkgs, provides };
}

/* Every installed package that installing `roots` brings in, through Depends and Pre-Depends. */
function closure(roots, { pkgs, provides }) {
    const seen = new Set();
    const todo = [...roots];
    while (todo.length) {
        const p = todo.pop();
        for (const name of [p, ...(provides.get(p) || [])]) {
            if (seen.has(name) || !pkgs.has(name))
                continue;
            seen.add(name);
            for (const alts of pkgs.get(name).deps)
                todo.push(...alts);
        }
    }
    return seen;
}

/* The package that installed the program called `name`, as dpkg knows it. */
function packageOf(name) {
    const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' });
    const where = r.stdout.trim();
    if (r.status !== 0 || !where.startsWith('/'))
        return { error: `${name} is not installed` };
    // Debian's merged /usr: dpkg may know a file under /bin as well as /usr/bin, and a
    // program reached through a link by the link's own path or by its target's.
    const candidates = new Set([where, fs.realpathSync(where)]);
    for (const c of [...candidates])
        candidates.add(c.startsWith('/usr/') ? c.slice(4) : `/usr${c}`);
    for (const c of candidates) {
        const q = spawnSync('dpkg-query', ['-S', c], { encoding: 'utf8' });
        // "sqlite3: /usr/bin/sqlite3"; lines about diversions ("diversion by dash from: …")
        // name no package that owns the file.
        const owner = q.stdout.split('\n').find((l) => !l.startsWith('diversion ') && l.includes(': '));
        if (q.status === 0 && owner)
            return { pkg: owner.split(':')[0].split(',')[0].trim(), where };
    }
    return { error: `${name} (${where}) was not installed by any Debian package` };
}

function deps(mode) {
    const r = spawnSync('sh', [path.join(ROOT, 'scripts/deps'), '--list', mode], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
}

function checkMode(mode, programs) {
    const installed = installedPackages();
    const provided = closure(deps(mode), installed);
    const problems = [];
    for (const [name, file] of programs) {
        const { pkg, error } = packageOf(name);
        if (error)
            problems.push(`${file} runs ${error}`);
        else if (!provided.has(pkg) && !installed.pkgs.get(pkg)?.base)
            problems.push(`${file} runs ${name}, from the package ${pkg}, which scripts/deps --${mode} does not install`);
    }
    assert.deepEqual(problems, []);
}

describe('programs the tests and benchmarks run', () => {
    it('finds the programs it checks', () => {
        // If the patterns stop matching, the check below would pass on nothing.
        assert.ok(programsOfTests().has('sqlite3'), 'the HTTP tests run sqlite3');
        assert.ok(programsOfTests().has('/usr/bin/chromium'), 'the browser tests run Chromium');
        assert.ok(programsOfTests().has('/usr/bin/python3'), 'a unit test runs Python with SciPy');
        assert.ok(programsOfBenchmarks().has('wrk'), 'the benchmarks run wrk');
    });

    it('are installed by scripts/deps --test', () => checkMode('test', programsOfTests()));

    it('are installed by scripts/deps --bench', (t) => {
        // The benchmarks' programs need not be on a machine that only runs the tests.
        const missing = [...programsOfBenchmarks().keys()].filter((p) => packageOf(p).error);
        if (missing.length) {
            t.skip(`not installed here: ${missing.join(', ')} (make bench installs them)`);
            return;
        }
        checkMode('bench', programsOfBenchmarks());
    });
});
