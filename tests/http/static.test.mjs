// The rendered site as served from memory: routes, content types, caching, compression,
// conditional requests, HEAD and the 404 page. Every response is checked for the security
// headers and for the absence of cookies.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';

import {
    IMMUTABLE,
    assertSecurityHeaders,
    linksIn,
    raw,
    rawHeaders,
    rawStatus,
    request,
    startServer,
} from './lib.mjs';

const HTML = 'text/html; charset=utf-8';

// The Content-Type each kind of file must have; text types carry their charset.
const TYPES = [
    [/\.css$/, /^text\/css; charset=utf-8$/],
    [/\.m?js$/, /^(text|application)\/javascript; charset=utf-8$/],
    [/\.svg$/, /^image\/svg\+xml(; charset=utf-8)?$/],
    [/\.png$/, /^image\/png$/],
    [/\.(jpe?g)$/, /^image\/jpeg$/],
    [/\.ico$/, /^image\/(x-icon|vnd\.microsoft\.icon)$/],
    [/\.woff2$/, /^font\/woff2$/],
    [/\.webmanifest$/, /^application\/manifest\+json(; charset=utf-8)?$/],
    [/\.json$/, /^application\/json(; charset=utf-8)?$/],
    [/\.txt$/, /^text\/plain; charset=utf-8$/],
];

// A file whose name carries a content hash ("style.1a2b3c4d.css") never changes.
const HASHED = /\.[0-9a-f]{8,}\.[a-z0-9]+$/;

function expectedType(p) {
    if (!/\.[a-z0-9]+$/i.test(p.split('/').pop()))
        return /^text\/html; charset=utf-8$/;
    for (const [name, type] of TYPES)
        if (name.test(p))
            return type;
    return null;
}

let server;
const seen = []; // every response of this file, for the header checks at the end
let site; // path -> identity response, for every page and asset reachable from "/"

async function get(p, headers = {}, method = 'GET') {
    const res = await request(server, { method, path: p, headers });
    seen.push([`${method} ${p}`, res]);
    return res;
}

// Follows every same-site link from the start page (and the fixed routes) breadth first.
async function crawl() {
    const found = new Map();
    const queue = ['/', '/plan'];
    while (queue.length) {
        const p = queue.shift();
        if (found.has(p))
            continue;
        const res = await get(p);
        found.set(p, res);
        const type = res.headers['content-type'] || '';
        if (res.status !== 200 || !/^text\/(html|css)/.test(type))
            continue;
        for (const link of linksIn(res.body.toString('utf8'))) {
            let url;
            try {
                url = new URL(link, `http://planpack.test${p}`);
            } catch {
                continue;
            }
            if (url.origin !== 'http://planpack.test')
                continue;
            if (!found.has(url.pathname))
                queue.push(url.pathname);
        }
        assert.ok(found.size < 2000, 'the crawl found an unbounded number of addresses');
    }
    return found;
}

before(async () => {
    server = await startServer();
    site = await crawl();
});

after(async () => {
    if (server)
        await server.stopClean();
});

describe('routes', () => {
    it('serves the start page and the plan builder as HTML', () => {
        for (const p of ['/', '/plan']) {
            assert.equal(site.get(p).status, 200, p);
            assert.equal(site.get(p).headers['content-type'], HTML, p);
            assert.match(site.get(p).body.toString('utf8'), /^<!doctype html>/i, p);
        }
    });

    it('answers 200 with the right content type for every page and asset linked from the site', () => {
        assert.ok(site.size >= 3, `only ${[...site.keys()].join(', ')} found`);
        const assets = [...site.keys()].filter((p) => p.startsWith('/assets/'));
        assert.ok(assets.length >= 1, 'the pages link to no asset (no stylesheet?)');
        for (const [p, res] of site) {
            assert.equal(res.status, 200, `${p} is linked from the site but answers ${res.status}`);
            const type = expectedType(p);
            assert.ok(type, `${p}: no expected content type known for this kind of file`);
            assert.match(res.headers['content-type'], type, p);
            assert.equal(Number(res.headers['content-length']), res.body.length, p);
            assert.ok(res.body.length > 0, `${p} is empty`);
        }
    });

    it('caches hashed assets for a year and makes pages revalidate', () => {
        let hashed = 0;
        for (const [p, res] of site) {
            if (HASHED.test(p)) {
                hashed++;
                assert.equal(res.headers['cache-control'], IMMUTABLE, p);
            } else {
                assert.equal(res.headers['cache-control'], 'no-cache', p);
            }
            assert.match(res.headers.etag, /^"[^"]+"$/, `${p} has no strong ETag`);
        }
        assert.ok(hashed >= 1, 'no asset name carries a content hash');
    });

    it('answers /healthz with ok, never cached', async () => {
        const res = await get('/healthz');
        assert.equal(res.status, 200);
        assert.equal(res.body.toString(), 'ok\n');
        assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
        assert.equal(res.headers['cache-control'], 'no-store');
    });

    it('ignores the query string when routing', async () => {
        const res = await get('/?utm_source=x&a=%zz');
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, site.get('/').body);
    });
});

describe('404', () => {
    let notFound;
    before(async () => {
        notFound = await get('/no-such-page');
    });

    it('answers an unknown address with the site\'s 404 page and status 404', () => {
        assert.equal(notFound.status, 404);
        assert.equal(notFound.headers['content-type'], HTML);
        assert.match(notFound.body.toString('utf8'), /^<!doctype html>/i);
        assert.notEqual(notFound.headers['cache-control'], IMMUTABLE);
        assert.equal(notFound.headers.etag, undefined, 'a 404 must not be revalidated into a 304');
    });

    const bad = [
        '/../../etc/passwd',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/%2E%2E/',
        '/assets/../plan',
        '/assets/%2e%2e/plan',
        '/..%2fplan',
        '//plan',
        '//',
        '/plan/',
        '/plan//',
        '/index.html',
        '/plan.html',
        '/404.html',
        '/plan%00',
        '/plan%00.html',
        '/pl%61n%2f',
        '/assets/',
        '/assets',
        '/.git/config',
        '/%',
        '/%zz',
        '/' + 'a'.repeat(2000),
    ];
    for (const p of bad) {
        it(`answers ${p.length > 40 ? p.slice(0, 40) + '…' : p} with the 404 page`, async () => {
            const res = await get(p);
            assert.equal(res.status, 404);
            assert.deepEqual(res.body, notFound.body);
        });
    }

    it('serves the 404 page compressed when asked, br first', async () => {
        const gz = await get('/no-such-page', { 'accept-encoding': 'gzip' });
        assert.equal(gz.status, 404);
        assert.equal(gz.headers['content-encoding'], 'gzip');
        assert.deepEqual(zlib.gunzipSync(gz.body), notFound.body);
        const br = await get('/no-such-page', { 'accept-encoding': 'gzip, br' });
        assert.equal(br.status, 404);
        assert.equal(br.headers['content-encoding'], 'br');
        assert.deepEqual(zlib.brotliDecompressSync(br.body), notFound.body);
        assert.equal(br.headers.etag, undefined);
        assert.match(br.headers.vary || '', /accept-encoding/i);
    });

    it('answers a request line with no leading slash with 404 or 400, never a file', async () => {
        for (const target of ['plan', '*', 'http://other.example/plan']) {
            const text = await raw(server, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
            const status = rawStatus(text);
            assert.ok(status === 404 || status === 400, `${target} answered ${status}`);
        }
    });
});

describe('HEAD', () => {
    it('sends the headers of GET and no body', async () => {
        for (const p of ['/', [...site.keys()].find((k) => k.startsWith('/assets/'))]) {
            const get1 = site.get(p);
            const head = await get(p, {}, 'HEAD');
            assert.equal(head.status, 200);
            for (const h of ['content-type', 'content-length', 'etag', 'cache-control'])
                assert.equal(head.headers[h], get1.headers[h], `${p} ${h}`);
            const text = await raw(server, `HEAD ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
            assert.equal(rawStatus(text), 200);
            assert.equal(text.split('\r\n\r\n')[1], '', `${p}: HEAD sent a body`);
        }
    });

    it('answers HEAD for an unknown address with 404 and no body', async () => {
        const text = await raw(server, 'HEAD /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        assert.equal(rawStatus(text), 404);
        assert.equal(text.split('\r\n\r\n')[1], '');
    });
});

describe('compression', () => {
    it('sends gzip to clients that accept gzip but not br, and the body gunzips to the plain body', async () => {
        let compressed = 0;
        for (const [p, plain] of site) {
            const res = await get(p, { 'accept-encoding': 'gzip, deflate' });
            assert.equal(res.status, 200, p);
            assert.equal(res.headers['content-type'], plain.headers['content-type'], p);
            if (res.headers['content-encoding'] === undefined) {
                assert.deepEqual(res.body, plain.body, p);
                continue;
            }
            compressed++;
            assert.equal(res.headers['content-encoding'], 'gzip', p);
            assert.match(res.headers.vary || '', /accept-encoding/i, p);
            assert.match(plain.headers.vary || '', /accept-encoding/i, `${p} (identity)`);
            assert.deepEqual(zlib.gunzipSync(res.body), plain.body, p);
            assert.ok(res.body.length < plain.body.length, `${p}: gzip is not smaller`);
            assert.notEqual(res.headers.etag, plain.headers.etag, `${p}: both encodings share one strong ETag`);
            assert.equal(res.headers['cache-control'], plain.headers['cache-control'], p);
        }
        assert.ok(compressed >= 2, 'fewer than two files are served compressed');
        assert.equal((await get('/', { 'accept-encoding': 'gzip' })).headers['content-encoding'], 'gzip');
    });

    it('prefers br when the client accepts it, and the body decompresses to the plain body', async () => {
        let compressed = 0;
        for (const [p, plain] of site) {
            const res = await get(p, { 'accept-encoding': 'gzip, deflate, br' });
            assert.equal(res.status, 200, p);
            assert.equal(res.headers['content-type'], plain.headers['content-type'], p);
            if (res.headers['content-encoding'] === undefined) {
                assert.deepEqual(res.body, plain.body, p);
                continue;
            }
            compressed++;
            assert.equal(res.headers['content-encoding'], 'br', p);
            assert.match(res.headers.vary || '', /accept-encoding/i, p);
            assert.deepEqual(zlib.brotliDecompressSync(res.body), plain.body, p);
            assert.ok(res.body.length < plain.body.length, `${p}: br is not smaller`);
            const gz = await get(p, { 'accept-encoding': 'gzip' });
            if (gz.headers['content-encoding'] === 'gzip') {
                assert.notEqual(res.headers.etag, gz.headers.etag, `${p}: br and gzip share one strong ETag`);
                // Brotli at its highest quality beats gzip on every text file of the site.
                assert.ok(res.body.length <= gz.body.length, `${p}: br ${res.body.length} > gzip ${gz.body.length}`);
            }
            assert.match(res.headers.etag, /^"[^"]+"$/, p);
            assert.notEqual(res.headers.etag, plain.headers.etag, `${p}: br and identity share one strong ETag`);
            assert.equal(res.headers['cache-control'], plain.headers['cache-control'], p);
        }
        assert.ok(compressed >= 2, 'fewer than two files are served with br');
    });

    it('sends identity when no coding it offers is accepted', async () => {
        for (const ae of [undefined, '', 'identity', 'deflate', 'gzip;q=0', 'gzip; q=0.000', '*;q=0', 'x-gzip;q=0, br;q=0, *', 'gzipx', 'gzip;q=abc', 'br;q=0', 'brotli, gzip;q=0', 'br;q=0, gzip;q=0', 'br;q=0.0000']) {
            const headers = ae === undefined ? {} : { 'accept-encoding': ae };
            const res = await get('/', headers);
            assert.equal(res.headers['content-encoding'], undefined, `Accept-Encoding: ${ae}`);
            assert.deepEqual(res.body, site.get('/').body, `Accept-Encoding: ${ae}`);
        }
    });

    it('reads Accept-Encoding as RFC 9110 says, preferring br to gzip', async () => {
        const want = {
            gzip: ['gzip', 'GZIP', 'x-gzip', 'identity;q=1, gzip;q=0.001', ' , gzip ;q=1', 'br;q=0, *;q=0.1', 'br;q=0, gzip', 'deflate, gzip, brotli'],
            br: ['br', 'BR', ' br ', '*', 'br;q=1.0, gzip;q=0.5', 'gzip;q=1, br;q=0.001', 'gzip, br', 'gzip;q=0, *', 'x-gzip;q=0, *'],
        };
        for (const [coding, values] of Object.entries(want)) {
            for (const ae of values) {
                const res = await get('/', { 'accept-encoding': ae });
                assert.equal(res.headers['content-encoding'], coding, `Accept-Encoding: ${ae}`);
            }
        }
    });
});

describe('conditional requests', () => {
    it('answers a matching If-None-Match with 304 and no body', async () => {
        for (const [p, plain] of site) {
            const etag = plain.headers.etag;
            for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
                const res = await get(p, { 'if-none-match': inm });
                assert.equal(res.status, 304, `${p} If-None-Match: ${inm}`);
                assert.equal(res.body.length, 0);
                assert.equal(res.headers.etag, etag, p);
                assert.equal(res.headers['cache-control'], plain.headers['cache-control'], p);
            }
        }
    });

    it('sends the full response when the tag does not match', async () => {
        const plain = site.get('/');
        const etag = plain.headers.etag;
        for (const inm of ['"nope"', etag.slice(0, -2) + '"', etag.slice(1), `${etag}x`, '', ',']) {
            const res = await get('/', { 'if-none-match': inm });
            assert.equal(res.status, 200, `If-None-Match: ${inm}`);
            assert.deepEqual(res.body, plain.body);
        }
    });

    it('compares against the tag of the encoding that would be sent', async () => {
        const gz = await get('/', { 'accept-encoding': 'gzip' });
        const plainTag = site.get('/').headers.etag;
        const again = await get('/', { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag });
        assert.equal(again.status, 304);
        assert.equal(again.headers.etag, gz.headers.etag);
        const other = await get('/', { 'accept-encoding': 'gzip', 'if-none-match': plainTag });
        assert.equal(other.status, 200);
        assert.equal(other.headers['content-encoding'], 'gzip');
    });

    it('gives br its own tag for conditional requests', async () => {
        const br = await get('/', { 'accept-encoding': 'br' });
        assert.equal(br.headers['content-encoding'], 'br');
        const again = await get('/', { 'accept-encoding': 'br', 'if-none-match': br.headers.etag });
        assert.equal(again.status, 304);
        assert.equal(again.headers.etag, br.headers.etag);
        assert.equal(again.body.length, 0);
        // A tag cached for gzip does not validate the br form, nor the other way round.
        const gz = await get('/', { 'accept-encoding': 'gzip' });
        const mixed = await get('/', { 'accept-encoding': 'br', 'if-none-match': gz.headers.etag });
        assert.equal(mixed.status, 200);
        assert.equal(mixed.headers['content-encoding'], 'br');
        const back = await get('/', { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag });
        assert.equal(back.status, 200);
        assert.equal(back.headers['content-encoding'], 'gzip');
    });

    it('answers HEAD with If-None-Match with 304 too', async () => {
        const res = await get('/', { 'if-none-match': site.get('/').headers.etag }, 'HEAD');
        assert.equal(res.status, 304);
    });
});

describe('every response', () => {
    it('carries the security headers and sets no cookie', async () => {
        const text = await raw(server, 'GET /plan HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        assert.ok(!rawHeaders(text).some(([n]) => n === 'set-cookie'));
        assert.ok(seen.length > 20);
        for (const [what, res] of seen)
            assertSecurityHeaders(res, what);
        for (const [what, res] of site)
            assertSecurityHeaders(res, what);
    });
});
