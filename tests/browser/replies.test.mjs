// The funny replies a young person can really send, on the ways page. With JavaScript,
// each reply has "Copy" and "Send this": the reply becomes a PNG made on the device and
// goes to the phone's share sheet (Web Share with a file) or, where there is none, to a
// download; no request carries it anywhere. Without JavaScript there are no buttons, and
// the pictures are ordinary images that can be pressed and held to save.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';

import { axeCheck, findPageOfKind, newGuardedContext, useSitesAndBrowser, visit } from './lib.mjs';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/* Width and height from a PNG's IHDR chunk. */
function pngSize(bytes) {
    const b = Buffer.from(bytes);
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/* Records what the share sheet would get, in a browser that offers Web Share with files. */
const FAKE_SHARE = `
    window.__shared = [];
    navigator.canShare = (data) => !!(data && data.files && data.files.length);
    navigator.share = async (data) => {
        for (const f of data.files || [])
            window.__shared.push({ name: f.name, type: f.type,
                bytes: [...new Uint8Array(await f.arrayBuffer())] });
    };
`;

/* The first reply in the gallery that has a picture, scrolled into view and loaded. */
async function pictureReply(page) {
    const li = page.locator('.gallery li:has(img)').first();
    assert.ok(await li.count(), 'no reply on the ways page has a picture');
    await li.scrollIntoViewIfNeeded();
    await page.waitForFunction((id) => {
        const img = document.getElementById(id).querySelector('img');
        return img.complete && img.naturalWidth > 0;
    }, await li.getAttribute('id'));
    return li;
}

// Two tests at a time, each in a browser context of its own.
describe('replies to send', { timeout: 300_000, concurrency: 2 }, () => {
    const fx = useSitesAndBrowser();

    test('with JavaScript and Web Share: "Send this" shares a PNG made on the device, and ' +
        'nothing is sent to the server', { timeout: 60_000 }, async () => {
        const site = fx.sites[0];
        const guard = await newGuardedContext(fx.browser, { bypassCSP: true });
        try {
            await guard.context.addInitScript(FAKE_SHARE);
            const page = await guard.context.newPage();
            const url = await findPageOfKind(page, site, 'page-strategies');
            await visit(page, url);
            const li = await pictureReply(page);
            const id = await li.getAttribute('id');
            const before = guard.requests.length;
            await li.getByRole('button', { name: 'Send this' }).click();
            await page.waitForFunction(() => window.__shared.length > 0);
            const [shared] = await page.evaluate(() => window.__shared);
            assert.equal(shared.type, 'image/png');
            assert.equal(shared.name, `${id}.png`);
            assert.deepEqual(shared.bytes.slice(0, 8), PNG, 'the shared file is not a PNG');
            const size = pngSize(shared.bytes);
            assert.equal(size.width, 480);
            assert.ok(size.height > 320, `the PNG is ${size.height} px high: no picture in it?`);
            // The picture is drawn, not blank: some pixel in its square is not white.
            const drawn = await page.evaluate(async (bytes) => {
                const bmp = await createImageBitmap(new Blob([new Uint8Array(bytes)]));
                const c = document.createElement('canvas');
                c.width = bmp.width;
                c.height = bmp.height;
                const g = c.getContext('2d');
                g.drawImage(bmp, 0, 0);
                const px = g.getImageData(80, 24, 320, 320).data;
                for (let i = 0; i < px.length; i += 4)
                    if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200)
                        return true;
                return false;
            }, shared.bytes);
            assert.ok(drawn, 'the picture is missing from the PNG');
            await page.waitForTimeout(300);
            const after = guard.requests.slice(before).map((r) => `${r.method} ${r.url}`);
            assert.deepEqual(after, [], 'sending a reply made requests');
            assert.match(await li.locator('[role=status]').textContent(), /share/i);
            assert.deepEqual(await axeCheck(page, 'the ways page with its reply buttons'), []);
            await guard.check('sending a reply with Web Share');
        } finally {
            await guard.context.close();
        }
    });

    test('with JavaScript and no Web Share: "Send this" downloads the PNG, and "Copy" puts ' +
        'the picture on the clipboard', { timeout: 60_000 }, async () => {
        const site = fx.sites[0];
        const guard = await newGuardedContext(fx.browser, { acceptDownloads: true });
        try {
            await guard.context.grantPermissions(['clipboard-read', 'clipboard-write'],
                { origin: site.base.replace(/\/$/, '') });
            const page = await guard.context.newPage();
            const url = await findPageOfKind(page, site, 'page-strategies');
            await visit(page, url);
            assert.equal(await page.evaluate(() => typeof navigator.canShare), 'undefined',
                'this browser offers Web Share: the download path is not tested');
            const li = await pictureReply(page);
            const id = await li.getAttribute('id');
            const before = guard.requests.length;
            const [download] = await Promise.all([
                page.waitForEvent('download'),
                li.getByRole('button', { name: 'Send this' }).click(),
            ]);
            assert.equal(download.suggestedFilename(), `${id}.png`);
            assert.match(download.url(), /^blob:/, 'the download did not come from the page');
            const bytes = fs.readFileSync(await download.path());
            assert.deepEqual([...bytes.subarray(0, 8)], PNG, 'the download is not a PNG');
            assert.equal(pngSize(bytes).width, 480);

            await li.getByRole('button', { name: 'Copy' }).click();
            await page.waitForFunction((i) => /Copied/.test(document.getElementById(i)
                .querySelector('[role=status]').textContent), id);
            const types = await page.evaluate(async () =>
                (await navigator.clipboard.read()).flatMap((item) => item.types));
            assert.ok(types.includes('image/png'), `the clipboard holds ${types.join(', ')}`);
            await page.waitForTimeout(300);
            const after = guard.requests.slice(before).map((r) => `${r.method} ${r.url}`)
                .filter((r) => !r.includes(' blob:'));
            assert.deepEqual(after, [], 'sending or copying a reply made requests');
            await guard.check('downloading and copying a reply');
        } finally {
            await guard.context.close();
        }
    });

    for (const which of [0, 1]) {
        test(`${which ? 'export (file://)' : 'served'}, without JavaScript: no buttons, and ` +
            'every reply picture is there to press and hold', { timeout: 60_000 }, async () => {
            const site = fx.sites[which];
            const guard = await newGuardedContext(fx.browser, { javaScriptEnabled: false });
            try {
                const page = await guard.context.newPage();
                const url = await findPageOfKind(page, site, 'page-strategies');
                await visit(page, url);
                assert.equal(await page.locator('.reply-tools, .gallery button').count(), 0);
                const imgs = page.locator('.gallery img');
                const n = await imgs.count();
                assert.ok(n >= 6, `only ${n} replies have a picture`);
                for (let i = 0; i < n; i++) {
                    const img = imgs.nth(i);
                    await img.scrollIntoViewIfNeeded();
                    assert.ok(await img.getAttribute('alt'), 'a reply picture without alt text');
                    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0,
                        await img.elementHandle());
                }
                await guard.check('the reply pictures without JavaScript');
            } finally {
                await guard.context.close();
            }
        });
    }

    test('export (file://), with JavaScript: "Send this" does something sensible and ' +
        'raises no error', { timeout: 60_000 }, async () => {
        const site = fx.sites[1];
        const guard = await newGuardedContext(fx.browser, { acceptDownloads: true });
        try {
            const page = await guard.context.newPage();
            const url = await findPageOfKind(page, site, 'page-strategies');
            await visit(page, url);
            const li = await pictureReply(page);
            await li.getByRole('button', { name: 'Send this' }).click();
            await page.waitForFunction((i) => document.getElementById(i)
                .querySelector('[role=status]').textContent !== '', await li.getAttribute('id'));
            await guard.check('sending a reply from a copy opened from a folder');
        } finally {
            await guard.context.close();
        }
    });
});
