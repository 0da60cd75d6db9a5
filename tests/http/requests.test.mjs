// Requests at the edges of HTTP framing and size: a body whose length is stated twice, or
// both by Content-Length and Transfer-Encoding, is refused with 400 and the connection
// closed (RFC 9112 section 6.3), so that nothing after it is taken for another request;
// the staff pages take a browser's real headers, with 4 KB of other sites' cookies; and a
// focus group's 10,000 characters of any script fit the staff form's own body limit.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { newDb, raw, rawStatus, request, startServer } from './lib.mjs';
import { addStaff, signIn } from './staff-lib.mjs';

let dir;
let server;

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planpack-requests-'));
    const db = newDb(dir);
    addStaff(db, 'alice');
    server = await startServer({ args: ['--db', db] });
});

after(async () => {
    if (server)
        await server.stopClean();
    fs.rmSync(dir, { recursive: true, force: true });
});

// Responses in raw text: every status line found.
function statuses(text) {
    return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

describe('a body framed two ways', () => {
    const next = 'GET /support HTTP/1.1\r\nHost: x\r\n\r\n';

    it('two different Content-Length values: 400, and the connection closed', async () => {
        const text = await raw(server,
            'POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
            'Content-Length: 5\r\nContent-Length: 11\r\n\r\nname=hello!' + next);
        assert.equal(rawStatus(text), 400, text.slice(0, 200));
        assert.match(text, /\r\nConnection: close\r\n/i);
        assert.deepEqual(statuses(text), [400], 'nothing after it is answered');
    });

    it('Content-Length and Transfer-Encoding together: 400, and the connection closed', async () => {
        const text = await raw(server,
            'POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
            'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nname=\r\n0\r\n\r\n' + next);
        assert.equal(rawStatus(text), 400, text.slice(0, 200));
        assert.match(text, /\r\nConnection: close\r\n/i);
        assert.deepEqual(statuses(text), [400]);
    });

    it('the same Content-Length twice is one length: answered, and the connection kept', async () => {
        const text = await raw(server,
            'POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
            'Content-Length: 5\r\nContent-Length: 5\r\n\r\nname=' + next);
        assert.deepEqual(statuses(text), [200, 200]);
    });
});

describe('staff requests from a real browser', () => {
    it('are answered with 4 KB of other cookies on the domain', async () => {
        const cookies = [];
        for (let i = 0; cookies.join('; ').length < 4096; i++)
            cookies.push(`_ga_site${i}=GA1.1.${'1234567890'.repeat(4)}`);
        const headers = {
            'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
            accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
            'accept-language': 'en-GB,en;q=0.9,en-US;q=0.8,cy;q=0.7',
            'accept-encoding': 'gzip, deflate, br, zstd',
            'sec-ch-ua': '"Microsoft Edge";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
            'sec-ch-ua-mobile': '?0',
            'sec-ch-ua-platform': '"Windows"',
            'sec-fetch-dest': 'document',
            'sec-fetch-mode': 'navigate',
            'sec-fetch-site': 'same-origin',
            'sec-fetch-user': '?1',
            'upgrade-insecure-requests': '1',
            referer: `http://${server.hostname}:${server.port}/staff/`,
            cookie: cookies.join('; '),
        };
        const res = await request(server, { path: '/staff/login', headers });
        assert.equal(res.status, 200);
        // Signed in, with the session cookie among the others.
        const alice = await signIn(server, 'alice');
        const home = await request(server, {
            path: '/staff/classes',
            headers: { ...headers, cookie: `${cookies.join('; ')}; ${alice.cookie}` },
        });
        assert.equal(home.status, 200);
        assert.match(home.body.toString(), /Signed in as alice/);
    });
});

describe('the focus-group form', () => {
    // 10,000 characters of 2, 3 and 4 bytes each: 26,000 bytes, 78,000 once encoded.
    const text = 'ü'.repeat(5000) + '✓'.repeat(4000) + '😀'.repeat(1000);

    it('takes the 10,000 characters of notes and quotes it promises, in any script', async () => {
        const alice = await signIn(server, 'alice');
        const res = await alice.post('/staff/focus-groups', {
            day: '2026-01-15',
            class: '',
            themes: 'trust',
            notes: `start ${text.slice(6)}`,
            quotes: text,
        });
        assert.equal(res.status, 303, res.text.slice(0, 500));
        const page = await alice.get('/staff/focus-groups');
        assert.ok(page.text.includes(`start ${text.slice(6)}`), 'the notes are stored whole');
    });

    it('keeps what was typed when it refuses a form', async () => {
        const alice = await signIn(server, 'alice');
        const res = await alice.post('/staff/focus-groups', {
            day: '2026-01-15',
            class: '',
            themes: 'trust',
            notes: `${text}!`,
            quotes: 'a quote worth keeping',
        });
        assert.equal(res.status, 400);
        assert.match(res.text, /at most 10,000 characters/);
        assert.ok(res.text.includes(`>${text}!</textarea>`), 'the notes are in the form again');
        assert.ok(res.text.includes('>a quote worth keeping</textarea>'));
    });
});
