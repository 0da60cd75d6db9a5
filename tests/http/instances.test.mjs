// Two planpack servers share one PostgreSQL database, as behind a load balancer: many pupils
// submit at once to both, and every answer acknowledged with the thank-you page is stored
// exactly once (none lost, none doubled), and no unacknowledged one more than once.
//
// PostgreSQL only: a SQLite file has one writer process by design (a second server is
// refused), so under SQLite this test is skipped.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BIN, PG, newDb, request, startServer, waitFor } from './lib.mjs';

const ANSWERS = 400;
const CLIENTS = 40;

const skip = PG ? false : 'one writer process per SQLite file by design; set PLANPACK_TEST_PG to run it';

describe('two instances on one PostgreSQL database', { skip }, () => {
    let dir;
    let db;
    const servers = [];
    const codes = [];

    function planpack(...args) {
        const r = spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, `planpack ${args.join(' ')}: ${r.stderr}`);
        return r.stdout;
    }

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-instances-'));
        db = newDb(dir);
        for (const school of ['Hill School', 'Vale School']) {
            const out = planpack('cohort', 'new', '--label', `Year 9 at ${school}`, '--school', school).trim().split('\n');
            codes.push(out[out.length - 1].trim());
        }
        // Started together, as after a deploy: the schema check must not race.
        servers.push(...(await Promise.all([startServer({ args: ['--db', db] }), startServer({ args: ['--db', db] })])));
    });

    after(async () => {
        for (const s of servers)
            await s.stopClean();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('stores every acknowledged answer exactly once', async () => {
        const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: CLIENTS }));
        const acked = new Set();
        const failed = [];
        let next = 0;
        // Each client sends answers one after another, to the two servers in turn.
        async function client() {
            for (let i = next++; i < ANSWERS; i = next++) {
                const which = i % 2;
                const body = `c=${codes[i % codes.length]}&q-law-end=yes&q-comment=${encodeURIComponent(`answer number ${i}`)}`;
                try {
                    const res = await request(servers[which], {
                        method: 'POST',
                        path: '/feedback',
                        headers: { 'content-type': 'application/x-www-form-urlencoded' },
                        body,
                        agent: agents[which],
                    });
                    if (res.status === 303)
                        acked.add(i);
                    else
                        failed.push(`${i}: ${res.status}`);
                } catch (e) {
                    failed.push(`${i}: ${e.message}`);
                }
            }
        }
        await Promise.all(Array.from({ length: CLIENTS }, client));
        agents.forEach((a) => a.destroy());
        assert.deepEqual(failed, [], 'every submission is acknowledged');
        // Each server writes its access log out within a fraction of a second.
        for (const s of servers)
            await waitFor(() => /POST \/feedback 303 /.test(s.stdout), { what: 'both servers to log stored answers' });

        // Count what the database holds, through the CSV export a researcher would use.
        const lines = planpack('report', '--format', 'csv', '--k', '3').split(/\r?\n/).filter((l) => l);
        assert.match(lines[0], /^class_code,/);
        const stored = new Map();
        for (const line of lines.slice(1)) {
            const m = /answer number (\d+)/.exec(line);
            if (m)
                stored.set(Number(m[1]), (stored.get(Number(m[1])) || 0) + 1);
        }
        for (const i of acked)
            assert.equal(stored.get(i), 1, `acknowledged answer ${i} stored ${stored.get(i) || 0} times`);
        for (const [i, n] of stored)
            assert.ok(n === 1 && i < ANSWERS, `answer ${i} stored ${n} times`);
        assert.equal(acked.size, ANSWERS);
        assert.equal(stored.size, ANSWERS);
    });
});
