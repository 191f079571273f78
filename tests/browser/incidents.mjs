// Possible incidents in a real browser (Debian's headless Chromium, driven by playwright-core):
// a senior leader is refused the incidents page and its decisions; the DSL signs in, follows the
// Incidents link, sees each possible incident with the face cut from the photo, confirms one
// ("it is them") and dismisses the other ("not them"), and is told the photo stays blocked.
// cg_browser_tests (incidents_browser_test.cpp) prepares the service and the two blocked
// photos, runs this script, and checks the database, the audit trail and the photos afterwards.
// Exits 0 only when every step passed.
//
// Environment (all set by the C++ test):
//   CG_BASE_URL                         https://127.0.0.1:PORT (its certificate is the
//                                       one the service made; the C++ side checks it)
//   CG_DSL_USER, CG_DSL_PASSWORD        the designated safeguarding lead's account
//   CG_SLT_USER, CG_SLT_PASSWORD        a senior leader's account
//   CG_INCIDENT_CONFIRM, CG_INCIDENT_DISMISS   the possible incidents to confirm and dismiss
//   CG_SCREENSHOTS, CG_CHROMIUM
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  checkAccessibility, heading, logIn, ok, postFromPage, runInBrowser, screenshotsIn, setting,
  shot, step, watch,
} from './browser_steps.mjs';

const base = setting('CG_BASE_URL');
const dsl = { user: setting('CG_DSL_USER'), password: setting('CG_DSL_PASSWORD') };
const slt = { user: setting('CG_SLT_USER'), password: setting('CG_SLT_PASSWORD') };
const confirmId = setting('CG_INCIDENT_CONFIRM');
const dismissId = setting('CG_INCIDENT_DISMISS');
screenshotsIn(join(setting('CG_SCREENSHOTS'), 'incidents'));

// What a person using a screen reader or the keyboard needs from the page: a language, one
// main heading, every picture described, every button and form field named.
async function checkAccessible(page, what) {
  const problems = await page.evaluate(() => {
    const found = [];
    if (!document.documentElement.lang) found.push('the page has no language');
    if (document.querySelectorAll('h1').length !== 1) found.push('not exactly one h1');
    for (const img of document.querySelectorAll('img')) {
      if (!img.getAttribute('alt')) found.push(`an image without alt text: ${img.src}`);
    }
    for (const button of document.querySelectorAll('button')) {
      if (!button.textContent.trim()) found.push('a button without words');
    }
    for (const input of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      if (!input.labels?.length && !input.getAttribute('aria-label')) {
        found.push(`a field without a label: ${input.name}`);
      }
    }
    return found;
  });
  assert.deepEqual(problems, [], `${what}: accessibility problems`);
}

// Clicks a form's button in an incident's row; returns the notice on the page it ends on.
async function decide(page, id, formClass, what) {
  const row = page.locator(`tr.possible-incident[data-id="${id}"]`);
  assert.equal(await row.count(), 1, `incident ${id} is waiting for a decision`);
  const form = row.locator(`form.${formClass}`);
  assert.equal(await form.getAttribute('method'), 'post', `${what}: a POST form`);
  assert.ok(await form.locator('input[name=csrf]').getAttribute('value'), `${what}: a csrf value`);
  const [response] = await Promise.all([page.waitForNavigation(),
                                        form.locator('button[type=submit]').click()]);
  const post = response.request().redirectedFrom();
  assert.equal(post?.method(), 'POST', `${what}: the form was posted and redirected`);
  assert.equal((await post.response())?.status(), 303, `${what}: the POST answers 303`);
  assert.equal(new URL(page.url()).pathname, '/incidents', `${what}: back on /incidents`);
  const notice = ((await page.locator('#incident-decided').textContent()) ?? '').trim();
  ok(`${what}: notice "${notice}"`);
  return notice;
}

async function run(browser) {
  // ---- A senior leader: not for them ----
  const sltContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
  const sltPage = await sltContext.newPage();
  watch(sltPage);

  step(`the senior leader "${slt.user}" has no Incidents link and is refused the page`);
  await logIn(base, sltPage, slt);
  assert.equal(await sltPage.locator('a[href="/incidents"]').count(), 0, 'no Incidents link');
  const refused = await sltPage.goto(base + '/incidents');
  assert.equal(refused.status(), 403, 'GET /incidents as SLT answers 403');
  assert.equal(await heading(sltPage), 'Not allowed');
  const face = await sltPage.goto(`${base}/incidents/${confirmId}/face.jpg`);
  assert.equal(face.status(), 403, 'the face is not shown to SLT either');

  step('the senior leader cannot confirm an incident, even with a valid CSRF token');
  await sltPage.goto(base + '/review');
  const sltCsrf = await sltPage.locator('input[name=csrf]').first().getAttribute('value');
  assert.ok(sltCsrf, '/review has a form with a csrf value');
  const attempt = await postFromPage(sltPage, `/incidents/${confirmId}/confirm`, { csrf: sltCsrf });
  assert.equal(attempt.status(), 403, `POST /incidents/<n>/confirm as SLT: ${attempt.status()}`);
  await shot(sltPage, 'slt-refused');
  ok('refused with 403');
  await sltContext.close();

  // ---- The DSL ----
  const dslContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
  const page = await dslContext.newPage();
  watch(page);

  step(`log in as the DSL "${dsl.user}" and open Incidents`);
  await logIn(base, page, dsl);
  await Promise.all([page.waitForNavigation(), page.locator('a[href="/incidents"]').first().click()]);
  assert.equal(new URL(page.url()).pathname, '/incidents', 'the Incidents link opens /incidents');
  assert.equal(await heading(page), 'Incidents');

  step('each possible incident shows the face, cut from the photo');
  const rows = page.locator('table#possible-incidents tr.possible-incident');
  assert.equal(await rows.count(), 2, 'two possible incidents wait for a decision');
  for (const id of [confirmId, dismissId]) {
    const img = page.locator(`tr.possible-incident[data-id="${id}"] img.incident-face`);
    assert.equal(await img.count(), 1, `incident ${id} shows a face`);
    assert.equal(new URL(await img.getAttribute('src'), base).pathname,
                 `/incidents/${id}/face.jpg`, 'the face is served by the incidents page');
    await img.evaluate((el) => el.complete || new Promise((done) => {
      el.addEventListener('load', done, { once: true });
      el.addEventListener('error', done, { once: true });
    }));
    const natural = await img.evaluate((el) => ({ w: el.naturalWidth, h: el.naturalHeight }));
    assert.ok(natural.w > 0 && natural.h > 0, `incident ${id}'s face decoded in the browser`);
    assert.match(await img.getAttribute('alt'), /^The face that was possibly /);
  }
  assert.match((await page.locator('main').textContent()) ?? '', /There have been no incidents/,
               'a possible incident is not an incident yet');
  await checkAccessible(page, 'the incidents page');
  await checkAccessibility(page, 'the incidents page');
  await shot(page, 'possible');
  ok('both faces are shown, each with "It is them" and "Not them"');

  step('a forged request (wrong CSRF token) is refused');
  const forged = await postFromPage(page, `/incidents/${confirmId}/confirm`, { csrf: 'forged' });
  assert.equal(forged.status(), 403, `a wrong token answers ${forged.status()}`);
  await page.goto(base + '/incidents');
  assert.equal(await rows.count(), 2, 'nothing was decided');

  step('"It is them": confirm the first');
  const confirmed = await decide(page, confirmId, 'incident-confirm', 'confirm');
  assert.match(confirmed, /^Confirmed: .* counts in the termly report\.$/);
  const counted = page.locator(`table#incidents tr[data-id="${confirmId}"]`);
  assert.equal(await counted.count(), 1, 'it is listed with the incidents');
  assert.match((await counted.textContent()) ?? '', new RegExp(`confirmed by ${dsl.user}`));
  await shot(page, 'confirmed');

  step('"Not them": dismiss the second; the photo stays blocked');
  const dismissed = await decide(page, dismissId, 'incident-dismiss', 'dismiss');
  assert.match(dismissed, /The photo stays blocked: dismissing does not publish it\.$/);
  assert.equal(await page.locator('table#possible-incidents').count(), 0, 'nothing is waiting');
  assert.equal(await page.locator(`table#incidents tr[data-id="${dismissId}"]`).count(), 0,
               'a dismissed one is not an incident');
  const notThem = page.locator(`table#dismissed-incidents tr[data-id="${dismissId}"]`);
  assert.equal(await notThem.count(), 1, 'it is listed as dismissed');
  assert.match((await notThem.textContent()) ?? '', new RegExp(dsl.user));
  await checkAccessible(page, 'the incidents page after the decisions');
  await shot(page, 'dismissed');

  step('a decision is made once: the same form again is refused');
  const csrf = await page.locator('input[name=csrf]').first().getAttribute('value');
  const again = await postFromPage(page, `/incidents/${dismissId}/confirm`, { csrf });
  assert.equal(again.status(), 409, `a second decision answers ${again.status()}`);
  assert.equal(await heading(page), 'Not done');
  ok('refused with 409 "Not done"');

  step('the termly report for this term shows the same figures as its CSV');
  await page.goto(base + '/incidents');
  await Promise.all([page.waitForNavigation(),
                     page.locator('a[href="/report"]').first().click()]);
  await Promise.all([page.waitForNavigation(),
                     page.locator('form#report-term button[type=submit]').click()]);
  const period = ((await page.locator('#report-period').textContent()) ?? '').trim();
  assert.ok(period.length > 0, 'the report names its term');
  const shown = {};
  for (const item of await page.locator('#report-summary [data-item]').all()) {
    shown[await item.getAttribute('data-item')] =
      ((await item.locator('dd').textContent()) ?? '').trim();
  }
  assert.ok(Object.keys(shown).length > 0, 'the summary has figures');
  assert.equal(await page.locator('#report-incidents tr').count() - 1, 1,
               'the confirmed incident is in the report, the dismissed one is not');
  const csvHref = await page.locator('a#report-csv').getAttribute('href');
  // Fetched with the page's own session (the pages' policy lets no script in them fetch).
  const csvResponse = await page.request.get(new URL(csvHref, base).href);
  assert.equal(csvResponse.status(), 200, 'the CSV link answers');
  const csv = await csvResponse.text();
  const fromCsv = {};
  for (const line of csv.split('\n')) {
    const cells = line.split(',');
    if (cells[0] === 'summary' && cells.length >= 4 && cells[2] !== 'from' && cells[2] !== 'to') {
      fromCsv[cells[2]] = cells[3].trim();
    }
  }
  for (const [item, figure] of Object.entries(shown)) {
    assert.equal(figure, fromCsv[item], `"${item}": the page shows ${figure}, the CSV ` +
                 `${fromCsv[item]}`);
  }
  await checkAccessibility(page, 'the termly report');
  await shot(page, 'report');
  ok(`${period}: ${JSON.stringify(shown)}, as in the CSV`);
  await dslContext.close();
}

await runInBrowser(run);
