// "My photos" in a real browser (Debian's headless Chromium, driven by playwright-core): an
// office user signs in, sends three photos in one upload (one that is published, one held for a
// senior leader, one refused), is redirected to the page that names each (so a reload sends
// nothing again), watches the page update itself until each is checked, reads each outcome and
// its reasons (the same words as the API's record), sees a thumbnail of each, and downloads the
// cleaned copy of the published one. The held photo has no cleaned copy: a plain 404 page says
// so. Every page visited is checked with axe-core. cg_browser_tests (office_browser_test.cpp)
// prepares the service and the photos, runs this script, and checks the download afterwards.
//
// Environment (all set by the C++ test):
//   CG_BASE_URL                          https://127.0.0.1:PORT
//   CG_API_KEY                           a key for the website channel (to read the records)
//   CG_OFFICE_USER, CG_OFFICE_PASSWORD   an office account
//   CG_PHOTO_PUBLISHED, CG_PHOTO_HELD, CG_PHOTO_REFUSED   the three files to send
//   CG_DOWNLOADS                         where the downloaded cleaned copy is saved
//   CG_SCREENSHOTS, CG_CHROMIUM
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  checkAccessibility, checkOnTablet, logIn, ok, runInBrowser, screenshotsIn, setting, shot, step,
  watch,
} from './browser_steps.mjs';

const base = setting('CG_BASE_URL');
const apiKey = setting('CG_API_KEY');
const office = { user: setting('CG_OFFICE_USER'), password: setting('CG_OFFICE_PASSWORD') };
const files = {
  published: setting('CG_PHOTO_PUBLISHED'),
  held: setting('CG_PHOTO_HELD'),
  refused: setting('CG_PHOTO_REFUSED'),
};
const downloads = setting('CG_DOWNLOADS');
screenshotsIn(setting('CG_SCREENSHOTS'));

async function api(path) {
  const response = await fetch(base + path, { headers: { Authorization: `Bearer ${apiKey}` } });
  assert.equal(response.status, 200, `GET ${path} answered ${response.status}`);
  return response.json();
}

// Each listed photo's row: its id, file name, state, reasons, next step and links.
async function rows(page) {
  return page.locator('table.list tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    id: tr.dataset.id,
    file: tr.querySelector('.file')?.textContent.trim(),
    status: tr.querySelector('td.status')?.textContent.trim(),
    statusClass: [...(tr.querySelector('td.status')?.classList ?? [])].find((c) => c.startsWith('status-')),
    reasons: [...tr.querySelectorAll('ul.reasons li')].map((li) => li.textContent.trim()),
    next: tr.querySelector('.next')?.textContent.trim(),
    download: tr.querySelector('a.download')?.getAttribute('href') ?? null,
    thumb: tr.querySelector('img.thumb')?.getAttribute('src') ?? null,
  })));
}

// The JPEG's APP1 "Exif" segments, as byte ranges.
function exifSegments(bytes) {
  const found = [];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1];
    if (marker === 0xda || marker === 0xd9) break;  // the picture itself starts
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    if (marker === 0xe1 && bytes.subarray(at + 4, at + 10).toString('latin1') === 'Exif\0\0') {
      found.push(bytes.subarray(at + 4, at + 2 + length));
    }
    at += 2 + length;
  }
  return found;
}

await runInBrowser(async (browser) => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true, acceptDownloads: true,
  });
  const page = await context.newPage();
  watch(page);

  step('the office user signs in and lands on My photos');
  const signedIn = await logIn(base, page, office);
  assert.equal(signedIn.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/photos', 'office staff land on /photos');
  assert.equal(await page.locator('table.list').count(), 0, 'nothing sent yet');
  await checkAccessibility(page, 'My photos, before sending');
  await shot(page, 'my-photos-empty');

  step('every control of the upload form has a label, and the file input takes several');
  const form = page.locator('form#upload');
  for (const control of await form.locator('input:not([type=hidden]), select, textarea').all()) {
    const id = await control.getAttribute('id');
    assert.ok(id, 'each control has an id');
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `a <label> for #${id}`);
  }
  const input = page.getByLabel('Photos or videos');
  assert.equal(await input.getAttribute('multiple'), '', 'input[type=file] multiple');
  ok('labelled; several files at once');

  step('three photos are sent in one upload; the answer is a redirect to a GET');
  await input.setInputFiles([files.published, files.held, files.refused]);
  await page.getByLabel('Where it will be published').selectOption('website');
  await page.getByLabel('Caption (optional)').fill('Sports day');
  const [response] = await Promise.all([
    page.waitForNavigation(),
    form.locator('button[type=submit]').click(),
  ]);
  const post = response.request().redirectedFrom();
  assert.equal(post?.method(), 'POST', 'the form was posted, then redirected');
  assert.equal((await post.response()).status(), 303, 'the POST answers 303 See Other');
  const after = new URL(page.url());
  assert.equal(after.pathname, '/photos');
  const ids = (after.searchParams.get('submitted') ?? '').split(',').filter(Boolean);
  assert.equal(ids.length, 3, 'three submissions');
  const notice = page.locator('#received');
  assert.match(await notice.innerText(), /3 files were received/);
  for (const file of Object.values(files)) {
    assert.ok((await notice.innerText()).includes(basename(file)), `the notice names ${basename(file)}`);
  }
  const waiting = await page.locator('td.status-waiting').count();
  if (waiting > 0) {
    assert.equal(response.headers().refresh, '5', 'the page reloads itself while photos are checked');
  }
  ok(`redirected to ${after.pathname}${after.search}; ${waiting} still being checked`);
  await checkAccessibility(page, 'My photos, just after sending');
  await shot(page, 'sent');

  step('the page updates itself (no script) until every photo is checked');
  const stillWaiting = () => page.locator('td.status-waiting').count().catch(() => 1);
  let reloads = 0;
  for (let i = 0; i < 60 && (await stillWaiting()) > 0; i += 1) {
    // The Refresh header reloads the page; nothing in the page runs a script.
    const reloaded = await page.waitForEvent('framenavigated', { timeout: 20000 })
      .then(() => true, () => false);
    if (reloaded) reloads += 1;
    await page.waitForLoadState('load');
  }
  assert.equal(await page.locator('td.status-waiting').count(), 0, 'every photo was checked');
  if (waiting > 0) assert.ok(reloads > 0, 'the page reloaded itself while photos were checked');
  assert.equal(await page.locator('script').count(), 0, 'the page has no script');
  ok(`all three checked (the page reloaded itself ${reloads} time(s))`);

  step('each outcome is shown, with the reasons the record gives');
  const listed = await rows(page);
  const byName = Object.fromEntries(listed.map((r) => [r.file, r]));
  const published = byName[basename(files.published)];
  const held = byName[basename(files.held)];
  const refused = byName[basename(files.refused)];
  assert.ok(published && held && refused, 'all three are listed');
  assert.equal(published.status, 'Published');
  assert.equal(published.statusClass, 'status-published');
  assert.ok(published.download, 'the published photo has a download link');
  assert.equal(held.status, 'Waiting for a senior leader');
  assert.equal(held.statusClass, 'status-held');
  assert.equal(held.download, null, 'no download for a held photo');
  assert.equal(refused.status, 'Not published');
  assert.equal(refused.statusClass, 'status-refused');
  assert.equal(refused.download, null, 'no download for a refused photo');
  for (const row of [held, refused]) {
    const record = await api(`/api/v1/photos/${row.id}`);
    const words = (record.reasons ?? []).map((r) => r.message);
    assert.ok(words.length > 0, `${row.file} has reasons in its record`);
    assert.deepEqual(row.reasons, words, `${row.file}: the page gives the record's reasons`);
    assert.ok(row.next.length > 0, `${row.file} says what to do next`);
    ok(`${row.file}: ${row.status}: ${row.reasons.join(' / ')}`);
  }
  assert.match(held.next, /senior leader/);
  assert.match(refused.next, /Do not publish/);
  await checkAccessibility(page, 'My photos, every photo checked');
  await shot(page, 'outcomes');

  step('each photo has a thumbnail, small, served by the service');
  for (const row of [published, held, refused]) {
    assert.equal(row.thumb, `/photos/${row.id}/thumb.jpg`, `${row.file} has a thumbnail`);
  }
  const sizes = await page.locator('img.thumb').evaluateAll((imgs) => Promise.all(imgs.map(
    (img) => (img.complete ? Promise.resolve() : new Promise((done) => { img.onload = done; img.onerror = done; }))
      .then(() => ({ w: img.naturalWidth, h: img.naturalHeight })))));
  assert.equal(sizes.length, 3);
  for (const s of sizes) assert.ok(s.w > 0 && s.h > 0 && Math.max(s.w, s.h) <= 160, `thumbnail ${s.w}x${s.h}`);
  ok(`thumbnails ${sizes.map((s) => `${s.w}x${s.h}`).join(', ')}`);

  step('the cleaned copy of the published photo is downloaded');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`tr[data-id="${published.id}"] a.download`).click(),
  ]);
  assert.equal(download.suggestedFilename(), basename(files.published), 'saved under its own name');
  mkdirSync(downloads, { recursive: true });
  const saved = join(downloads, download.suggestedFilename());
  await download.saveAs(saved);
  const bytes = readFileSync(saved);
  assert.ok(bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff, 'the download is a JPEG');
  const sent = readFileSync(files.published);
  assert.ok(exifSegments(sent).length > 0, 'the photo sent had EXIF (with GPS)');
  for (const exif of exifSegments(bytes)) {
    // The GPS IFD pointer tag (0x8825), in either byte order.
    assert.ok(!exif.includes(Buffer.from([0x88, 0x25])) && !exif.includes(Buffer.from([0x25, 0x88])),
              'no GPS in the EXIF of the cleaned copy');
  }
  ok(`${bytes.length} bytes saved to ${saved}; ${exifSegments(bytes).length} EXIF segment(s), no GPS`);

  step('the held photo has no cleaned copy: a plain page says so');
  const refusedPage = await page.goto(`${base}/photos/${held.id}/cleaned`);
  assert.equal(refusedPage.status(), 404);
  assert.equal((await page.locator('h1').first().textContent()).trim(), 'Not published');
  assert.match(await page.locator('main').innerText(), /has not been published/);
  await checkAccessibility(page, 'the refusal to download a held photo');
  await shot(page, 'not-published');

  step('reloading My photos sends nothing again');
  await page.goto(`${base}/photos?submitted=${ids.join(',')}`);
  await page.reload();
  assert.equal((await rows(page)).length, 3, 'still three photos');
  await checkAccessibility(page, 'My photos, reloaded');
  await shot(page, 'reloaded');
  await checkOnTablet(page, 'my-photos');
  await context.close();
});
