// The QR codes on the lesson slides need an address that pupils' phones can open. When
// serve listens on a loopback address and no --public-url is given, the codes would point
// at this computer alone: the terminal and /teach (beside its first QR code, so that every
// slide still fits the board) say so, and how to fix it. With --public-url, or an address that is not loopback, nothing is said.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { freePort, request, startServer, waitFor } from './lib.mjs';

const WARNING = /warning: the QR codes on the lesson slides \(\/teach\) point to http:\/\/127\.0\.0\.1:\d+\/, which only this computer can open/;
const NOTICE = "Pupils' phones cannot open this QR code: it points to this computer only.";

async function teach(server) {
    const res = await request(server, { path: '/teach' });
    assert.equal(res.status, 200);
    const html = res.body.toString('utf8');
    assert.match(html, /<figure class="qr">/, 'the slides show no QR code');
    return html;
}

describe('QR codes that only this computer can open', () => {
    it('are warned about in the terminal and beside the first QR code on /teach', async () => {
        const port = await freePort();
        const server = await startServer({ args: ['--listen', `127.0.0.1:${port}`] });
        try {
            await waitFor(() => WARNING.test(server.stderr), { what: 'the warning in the terminal' });
            assert.match(server.stderr, /--listen and this computer's address on the school network/);
            const html = await teach(server);
            assert.equal(html.split(NOTICE).length - 1, 1, 'the notice is not there once');
            const first = html.indexOf('<figure class="qr">');
            const next = html.indexOf('<section', first);
            const at = html.indexOf(NOTICE);
            assert.ok(at > first && (next < 0 || at < next), 'the notice is not beside the first QR code');
            assert.ok(html.includes('<code>--public-url</code>'));
        } finally {
            await server.stopClean();
        }
    });

    it('are not warned about with --public-url', async () => {
        const port = await freePort();
        const server = await startServer({
            args: ['--listen', `127.0.0.1:${port}`, '--public-url', 'http://192.0.2.10:8080/'],
        });
        try {
            assert.doesNotMatch(server.stderr, /only this computer can open/);
            const html = await teach(server);
            assert.ok(html.includes('http://192.0.2.10:8080/'));
            assert.ok(!html.includes(NOTICE));
        } finally {
            await server.stopClean();
        }
    });
});
