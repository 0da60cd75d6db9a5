// Form posts: POST /plan renders the young person's plan without keeping or logging it;
// bodies are capped, decoded carefully and refused with clear messages; wrong methods get
// 405 with Allow; /feedback refuses an answer without a class code.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertSecurityHeaders, raw, rawHeaders, rawStatus, request, startServer } from './lib.mjs';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const LIMIT = 16 * 1024;
// Text that must reach the plan page and nowhere else (no log line, no error output).
const SECRET = 'Zebra-7761 my own words <script>alert(1)</script> & "quotes"';

let server;
let fields; // names of the free-text fields of the plan form

async function post(p, body, headers = FORM) {
    const res = await request(server, { method: 'POST', path: p, headers, body });
    assertSecurityHeaders(res, `POST ${p}`);
    return res;
}

// The names of the text inputs and text areas inside the plan page's POST form.
function textFields(html) {
    const form = /<form\b[^>]*method\s*=\s*["']?post[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    assert.ok(form, 'the plan page has no POST form');
    const names = [];
    for (const m of form[1].matchAll(/<(textarea|input)\b([^>]*)>/gi)) {
        const attrs = m[2];
        const type = /\btype\s*=\s*["']?([a-z]+)/i.exec(attrs)?.[1]?.toLowerCase() || 'text';
        const name = /\bname\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1];
        if (name && (m[1].toLowerCase() === 'textarea' || type === 'text'))
            names.push(name.replace(/&amp;/g, '&'));
    }
    return names;
}

function encode(pairs) {
    return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`.replace(/%20/g, '+')).join('&');
}

before(async () => {
    server = await startServer();
    const page = await request(server, { path: '/plan' });
    assert.equal(page.status, 200);
    fields = textFields(page.body.toString('utf8'));
    assert.ok(fields.length >= 1, 'the plan form has no free-text field');
});

after(async () => {
    if (!server)
        return;
    await server.stopClean();
    // The plan is the young person's: not a word of it in the server's output.
    for (const needle of ['Zebra-7761', 'Zebra', encodeURIComponent('Zebra-7761')]) {
        assert.ok(!server.stdout.includes(needle), `plan text in stdout:\n${server.stdout}`);
        assert.ok(!server.stderr.includes(needle), `plan text in stderr:\n${server.stderr}`);
    }
});

describe('POST /plan', () => {
    it('renders the plan with the words sent, escaped, and never cached', async () => {
        const res = await post('/plan', encode(fields.map((f) => [f, SECRET])));
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.equal(res.headers.etag, undefined);
        const html = res.body.toString('utf8');
        assert.ok(html.includes('Zebra-7761 my own words'), 'the plan does not show the words sent');
        assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the script tag is not escaped');
        assert.ok(!html.includes('<script>alert(1)'), 'the plan page contains the raw script tag');
        assert.ok(!/<script\b[^>]*>\s*alert/i.test(html));
        assert.equal(Number(res.headers['content-length']), res.body.length);
    });

    it('keeps the connection open after answering a post', async () => {
        const body = encode([[fields[0], 'kept']]);
        const req = `POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
        const text = await raw(server, [req, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'], { pauseMs: 300 });
        assert.equal(rawStatus(text), 200);
        assert.ok(!/\r\nConnection: close\r\n/i.test(text.split('\r\n\r\n')[0]));
        assert.match(text, /HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nok\n$/, 'the second request on the connection got no answer');
    });

    it('accepts the body in chunks and with a charset parameter', async () => {
        const body = encode([[fields[0], 'chunky words']]);
        const half = Math.floor(body.length / 2);
        const chunk = (s) => `${s.length.toString(16)}\r\n${s}\r\n`;
        const text = await raw(server, [
            'POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
            chunk(body.slice(0, half)),
            chunk(body.slice(half)) + '0\r\n\r\n',
        ], { pauseMs: 50 });
        assert.equal(rawStatus(text), 200);
        assert.ok(text.includes('chunky words'));
    });

    it('renders an empty form without complaint', async () => {
        for (const body of ['', '&&', 'unknown_field=1']) {
            const res = await post('/plan', body);
            assert.equal(res.status, 200, `body ${JSON.stringify(body)}`);
        }
    });

    it('takes a body of exactly 16 KiB', async () => {
        const prefix = `${encodeURIComponent(fields[0])}=`;
        const body = prefix + 'a'.repeat(LIMIT - prefix.length);
        assert.equal(body.length, LIMIT);
        const res = await post('/plan', body);
        assert.equal(res.status, 200);
    });
});

describe('bodies that are refused', () => {
    it('answers 413 to a declared Content-Length over 1 MiB without reading the body', async () => {
        const text = await raw(server,
            `POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${1024 * 1024 + 1}\r\n\r\n`);
        assert.equal(rawStatus(text), 413);
        assert.match(text, /too long|too much|longer/i);
        assert.ok(rawHeaders(text).some(([n, v]) => n === 'content-security-policy' && v.startsWith("default-src 'self'")));
        const huge = await raw(server,
            'POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 99999999999999999999999\r\n\r\n');
        assert.ok([400, 413].includes(rawStatus(huge)), `an absurd Content-Length got ${rawStatus(huge)}`);
    });

    it('answers 413 to an Expect: 100-continue upload over the limit before it is sent', async () => {
        const text = await raw(server,
            `POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n`);
        assert.equal(rawStatus(text), 413);
    });

    it('answers 413 to a chunked body that grows past 16 KiB', async () => {
        const chunk = (s) => `${s.length.toString(16)}\r\n${s}\r\n`;
        const piece = 'a'.repeat(4096);
        const parts = ['POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n'];
        for (let i = 0; i < 5; i++)
            parts.push(chunk(i === 0 ? `${fields[0]}=${piece}` : piece));
        parts.push('0\r\n\r\n');
        const text = await raw(server, parts, { pauseMs: 20 });
        assert.equal(rawStatus(text), 413);
    });

    // Browsers send the whole body at once; a 413 sent while they are still sending would
    // end in a reset, and the pupil would see a failed connection instead of the page.
    it('answers 413 with its page to a body of almost 1 MiB sent at once, as browsers send it', async () => {
        const name = encodeURIComponent(fields[0]);
        const body = `${name}=${'c'.repeat(1024 * 1024 - name.length - 1)}`;
        for (let i = 0; i < 5; i++) {
            const head = `POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`;
            const text = await raw(server, [head, body]);
            assert.equal(rawStatus(text), 413, `try ${i}: ${text.slice(0, 60) || 'no answer'}`);
            assert.match(text, /longer than this form takes/);
        }
    });

    it('answers 413 to a body over 16 KiB sent all at once', async () => {
        const body = `${encodeURIComponent(fields[0])}=${'b'.repeat(LIMIT)}`;
        const text = await raw(server,
            `POST /plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
        assert.equal(rawStatus(text), 413);
    });

    const bad = [
        ['a broken %-escape', 'words=%zz', /broken %-escape/],
        ['a cut %-escape', 'words=abc%4', /broken %-escape/],
        ['a lone %', 'words=%', /broken %-escape/],
        ['an invalid UTF-8 byte', 'words=%FF', /not valid UTF-8/],
        ['a raw invalid UTF-8 byte', Buffer.from([0x77, 0x3d, 0xc3, 0x28]), /not valid UTF-8/],
        ['an overlong encoding of "/"', 'words=%C0%AF', /not valid UTF-8/],
        ['an overlong three-byte form', 'words=%E0%80%AF', /not valid UTF-8/],
        ['a UTF-16 surrogate', 'words=%ED%A0%80', /not valid UTF-8/],
        ['a code point past U+10FFFF', 'words=%F4%90%80%80', /not valid UTF-8/],
        ['a truncated sequence', 'words=%E2%82', /not valid UTF-8/],
        ['a NUL byte', 'words=a%00b', /not valid UTF-8/],
        ['a NUL in a field name', 'wo%00rds=a', /not valid UTF-8/],
        ['too many fields', Array.from({ length: 300 }, (_, i) => `f${i}=1`).join('&'), /too many fields/],
    ];
    for (const [what, body, message] of bad) {
        it(`answers 400 with a clear message to ${what}`, async () => {
            const res = await post('/plan', body);
            assert.equal(res.status, 400);
            assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
            assert.equal(res.headers['cache-control'], 'no-store');
            assert.match(res.body.toString('utf8'), message);
        });
    }

    it('answers 415 to a body that is not form-urlencoded', async () => {
        for (const type of ['multipart/form-data; boundary=x', 'application/json', 'text/plain']) {
            const res = await post('/plan', 'words=x', { 'content-type': type });
            assert.equal(res.status, 415, type);
        }
    });

    it('stays healthy after all of that', async () => {
        const res = await request(server, { path: '/healthz' });
        assert.equal(res.status, 200);
    });
});

describe('methods', () => {
    it('answers 405 with Allow: GET, HEAD to a post to a page or an asset', async () => {
        for (const p of ['/', '/healthz']) {
            const res = await post(p, 'a=1');
            assert.equal(res.status, 405, p);
            assert.equal(res.headers.allow, 'GET, HEAD', p);
        }
    });

    it('answers 405 with Allow to other methods', async () => {
        for (const [method, p, allow] of [
            ['PUT', '/plan', 'GET, HEAD, POST'],
            ['DELETE', '/', 'GET, HEAD'],
            ['PATCH', '/feedback', 'GET, HEAD, POST'],
            ['OPTIONS', '/', 'GET, HEAD'],
            ['PUT', '/healthz', 'GET, HEAD'],
        ]) {
            const res = await request(server, { method, path: p });
            assert.equal(res.status, 405, `${method} ${p}`);
            assert.equal(res.headers.allow, allow, `${method} ${p}`);
            assertSecurityHeaders(res, `${method} ${p}`);
        }
    });

    it('answers 404 to a post to an unknown address', async () => {
        const res = await post('/no-such-form', 'a=1');
        assert.equal(res.status, 404);
    });
});

describe('POST /feedback', () => {
    // The rest of /feedback is in feedback.test.mjs.
    it('says plainly in the form that an answer without a class code was not saved', async () => {
        const res = await post('/feedback', 'q1=yes');
        assert.equal(res.status, 400);
        assert.equal(res.headers['cache-control'], 'no-store');
        const html = res.body.toString('utf8');
        assert.match(html, /<div class="note" id="f-error" role="alert">\n<h2>Not sent yet<\/h2>\n<p>Nothing has been saved yet\.[^<]*<\/p>\n<ul>\n<li><a href="#f-code">Please type the class code/);
    });
});
