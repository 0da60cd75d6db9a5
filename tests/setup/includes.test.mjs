// The include graph of src/ follows the pipeline one way (docs/internals.md): a stage
// includes only the stages upstream of it, so that the model knows nothing of HTML, the
// renderer nothing of sockets, and the store and the reports nothing of the authoring
// model (pkg/pkg.h).
//
// The order is written here once. A new include that points up the pipeline (the loader
// reaching into src/web for its route names, the survey into src/pkg for its model) fails
// this test with the file, the line and the stage it may not see.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = path.join(ROOT, 'src');

// Each stage and the stages it may include (itself always). src/main.c sees everything.
const MAY_INCLUDE = {
    base: [],
    survey: ['base'],
    pkg: ['base', 'survey'],
    site: ['base', 'survey', 'pkg'],
    store: ['base', 'survey'],
    report: ['base', 'survey', 'store'],
    staff: ['base', 'survey', 'store'],
    web: ['base', 'survey', 'pkg', 'site', 'store', 'report', 'staff'],
};

/* Every `#include "stage/file.h"` in src/STAGE: [stage, file, line, included stage]. */
function includes() {
    const out = [];
    for (const stage of fs.readdirSync(SRC, { withFileTypes: true })) {
        if (!stage.isDirectory())
            continue;
        for (const f of fs.readdirSync(path.join(SRC, stage.name))) {
            if (!/\.[ch]$/.test(f))
                continue;
            const rel = `src/${stage.name}/${f}`;
            const lines = fs.readFileSync(path.join(ROOT, rel), 'utf8').split('\n');
            lines.forEach((text, i) => {
                const m = /^\s*#\s*include\s+"([a-z_]+)\/[^"]+"/.exec(text);
                if (m)
                    out.push([stage.name, rel, i + 1, m[1]]);
            });
        }
    }
    return out;
}

describe('include direction', () => {
    it('names every stage of src/', () => {
        const stages = fs.readdirSync(SRC, { withFileTypes: true })
            .filter((e) => e.isDirectory()).map((e) => e.name).sort();
        assert.deepEqual(stages, Object.keys(MAY_INCLUDE).sort(),
            'a new folder in src/ needs its place in MAY_INCLUDE');
    });

    it('has no include that points up the pipeline', () => {
        const wrong = includes()
            .filter(([stage, , , to]) => to !== stage && !(MAY_INCLUDE[stage] ?? []).includes(to))
            .map(([stage, file, line, to]) => `${file}:${line}: ${stage} includes ${to}/`);
        assert.deepEqual(wrong, []);
    });

    it('keeps the store and the reports away from the authoring model', () => {
        // Through every header they include, and the headers those include.
        const headersOf = (file) => {
            const text = fs.readFileSync(path.join(SRC, file), 'utf8');
            return [...text.matchAll(/^\s*#\s*include\s+"([a-z_]+\/[^"]+)"/gm)]
                .map((m) => m[1]).filter((h) => fs.existsSync(path.join(SRC, h)));
        };
        const wrong = [];
        for (const stage of ['store', 'report']) {
            for (const f of fs.readdirSync(path.join(SRC, stage)).filter((f) => /\.[ch]$/.test(f))) {
                const seen = new Set();
                const todo = [`${stage}/${f}`];
                while (todo.length)
                    for (const h of headersOf(todo.pop()))
                        if (!seen.has(h)) {
                            seen.add(h);
                            todo.push(h);
                        }
                for (const h of seen)
                    if (h.startsWith('pkg/'))
                        wrong.push(`src/${stage}/${f} sees ${h}`);
            }
        }
        assert.deepEqual(wrong, []);
    });
});
