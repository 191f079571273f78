// The review pages in a real browser (Debian's headless Chromium, driven by playwright-core):
// a senior leader logs in, looks at the held photos with every face boxed and labelled,
// approves one, rejects one with a reason and publishes a redacted copy of one; opens a photo
// blocked for a no-photo pupil, cannot approve it, and publishes a covered copy; then an office
// user is refused the review page and the approve action. cg_browser_tests
// (review_browser_test.cpp) prepares the service and the photos, runs this script, and checks
// the outcomes in the data folder afterwards. Exits 0 only when every step passed.
//
// Environment (all set by the C++ test):
//   CG_BASE_URL                     https://127.0.0.1:PORT (its certificate is the one
//                                   the service made; the C++ side checks it)
//   CG_API_KEY                      a key for the website and newsletter channels
//   CG_SLT_USER, CG_SLT_PASSWORD    a senior leader's account
//   CG_OFFICE_USER, CG_OFFICE_PASSWORD
//   CG_PHOTO_APPROVE, CG_PHOTO_REJECT, CG_PHOTO_REDACT, CG_PHOTO_OFFICE   held photos' ids
//   CG_PHOTO_BLOCKED                a photo blocked for a no-photo pupil (a covered copy can
//                                   save it), and CG_COVERED_COPY_SENTENCE, what its note says
//   CG_REJECT_REASON                the reason typed when rejecting
//   CG_SCREENSHOTS                  the folder for the screenshots
//   CG_CHROMIUM                     the browser (default /usr/bin/chromium)
import assert from 'node:assert/strict';
import {
  checkAccessibility, checkOnTablet, logIn, ok, postFromPage, runInBrowser, screenshotsIn,
  setting, shot, step, watch,
} from './browser_steps.mjs';

const base = setting('CG_BASE_URL');
const apiKey = setting('CG_API_KEY');
const slt = { user: setting('CG_SLT_USER'), password: setting('CG_SLT_PASSWORD') };
const office = { user: setting('CG_OFFICE_USER'), password: setting('CG_OFFICE_PASSWORD') };
const ids = {
  approve: setting('CG_PHOTO_APPROVE'),
  reject: setting('CG_PHOTO_REJECT'),
  redact: setting('CG_PHOTO_REDACT'),
  office: setting('CG_PHOTO_OFFICE'),
  identify: setting('CG_PHOTO_IDENTIFY'),
};
const blockedId = setting('CG_PHOTO_BLOCKED');
const dismissId = setting('CG_PHOTO_DISMISS');
const identifyName = setting('CG_IDENTIFY_NAME');
const identifyPerson = setting('CG_IDENTIFY_PERSON');
const coveredCopySentence = setting('CG_COVERED_COPY_SENTENCE');
const rejectReason = setting('CG_REJECT_REASON');
screenshotsIn(setting('CG_SCREENSHOTS'));

async function api(path) {
  const response = await fetch(base + path, { headers: { Authorization: `Bearer ${apiKey}` } });
  assert.equal(response.status, 200, `GET ${path} answered ${response.status}`);
  return response.json();
}

// The status of the POST that a form submission started, when it was redirected.
async function redirectStatus(response) {
  const post = response.request().redirectedFrom();
  if (!post) return response.status();
  const redirect = await post.response();
  return redirect ? redirect.status() : 0;
}

// Submits an action form on a photo's page; expects 303 to /review and a .notice.
async function submitAction(page, formSelector, what) {
  const form = page.locator(formSelector);
  assert.equal(await form.count(), 1, `${formSelector} is on the page`);
  assert.equal(await form.getAttribute('method'), 'post', `${formSelector} method`);
  assert.ok(await form.locator('input[name=csrf]').getAttribute('value'),
            `${formSelector} has a csrf value`);
  const button = form.locator('button:not([type=button]), input[type=submit]').first();
  // A redacted copy is checked again by the face detector, which the service loads on first use:
  // allow for a slow machine (or a sanitizer build).
  let [response] = await Promise.all([page.waitForNavigation({ timeout: 180000 }),
                                      button.click({ timeout: 180000 })]);
  // Publishing or rejecting is confirmed on a page of its own, and a covered copy is previewed
  // with the rules' answer first: nothing is done until that page's button is pressed.
  const confirm = page.locator('form#confirmed, form#publish-covered');
  if (await confirm.count() === 1) {
    await checkAccessibility(page, `${what}: the confirmation`);
    await shot(page, `${what.replace(/\W+/g, '-')}-confirm`);
    [response] = await Promise.all([page.waitForNavigation({ timeout: 180000 }),
                                    confirm.locator('button[type=submit]').click()]);
  }
  assert.equal(response.request().redirectedFrom()?.method(), 'POST',
               `${what}: the form was posted and redirected`);
  assert.equal(await redirectStatus(response), 303, `${what}: the POST answers 303`);
  assert.equal(new URL(page.url()).pathname, '/review', `${what}: redirected to /review`);
  assert.equal(response.status(), 200, `${what}: /review after the redirect`);
  const notice = (await page.locator('.notice').first().textContent() ?? '').trim();
  assert.ok(notice.length > 0, `${what}: a .notice says what happened`);
  ok(`${what}: notice "${notice}"`);
  return notice;
}

// Opens a held photo's page and checks the picture and its faces against the API's record.
async function openHeldPhoto(page, id, name) {
  const response = await page.goto(`${base}/review/${id}`);
  assert.equal(response.status(), 200, `GET /review/${id}`);
  const record = await api(`/api/v1/photos/${id}`);
  const img = page.locator('img#photo');
  assert.equal(await img.count(), 1, 'img#photo is on the page');
  assert.equal(new URL(await img.getAttribute('src'), base).pathname, `/review/${id}/image`,
               'img#photo is served from /review/<id>/image');
  await img.evaluate((el) => el.complete || new Promise((done) => {
    el.addEventListener('load', done, { once: true });
    el.addEventListener('error', done, { once: true });
  }));
  const natural = await img.evaluate((el) => ({ w: el.naturalWidth, h: el.naturalHeight }));
  assert.ok(natural.w > 0 && natural.h > 0, 'the photo decoded in the browser');
  const imgBox = await img.boundingBox();

  const faces = page.locator('div.face');
  const apiFaces = record.faces ?? [];
  assert.equal(await faces.count(), apiFaces.length,
               `the page boxes as many faces as the API reports (${apiFaces.length})`);
  const shown = [];
  for (let i = 0; i < apiFaces.length; i += 1) {
    const face = faces.nth(i);
    const status = await face.getAttribute('data-status');
    const person = await face.getAttribute('data-person');
    // The box carries the face's number; the list beside the photo says who it is.
    const number = await face.getAttribute('data-number');
    const label = ((await page.locator(`#face-${number} .face-text`).textContent()) ?? '').trim();
    assert.ok(status, `face ${i + 1} has a data-status`);
    assert.notEqual(person, null, `face ${i + 1} has a data-person attribute`);
    assert.ok(label.length > 0, `face ${i + 1} has a readable label`);
    const box = await face.boundingBox();
    assert.ok(box && box.width > 2 && box.height > 2, `face ${i + 1} has a visible box`);
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    assert.ok(cx >= imgBox.x && cx <= imgBox.x + imgBox.width &&
              cy >= imgBox.y && cy <= imgBox.y + imgBox.height,
              `face ${i + 1}'s box lies on the photo`);
    shown.push({ status, person, label, cx: (cx - imgBox.x) / imgBox.width });
  }
  // Each face the API found has a box near the same place (5% of the width).
  for (const [i, f] of apiFaces.entries()) {
    // The picture may be served smaller than the photo; the API's boxes are in its pixels.
    const width = Number(await img.getAttribute('data-width')) || natural.w;
    const want = (f.box.x + f.box.w / 2) / width;
    assert.ok(shown.some((s) => Math.abs(s.cx - want) < 0.05),
              `the API's face ${i + 1} (centre at ${(want * 100).toFixed(0)}% of the width) ` +
              `has a box on the page: ${JSON.stringify(shown)}`);
  }
  assert.ok(await page.locator('ul.reasons li').count() > 0, 'the reasons are listed');
  await checkAccessibility(page, `the ${name}`);
  ok(`${name}: ${apiFaces.length} face(s): ` +
     shown.map((s) => `${s.label} [${s.status}${s.person ? ' ' + s.person : ''}]`).join(', '));
  return { record, shown };
}

async function run(browser) {
  // ---- A senior leader ----
  const sltContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
  const page = await sltContext.newPage();
  watch(page);

  step('a wrong password shows the login page again with an error');
  const refused = await logIn(base, page, { user: slt.user, password: slt.password + '-wrong' });
  assert.equal(new URL(page.url()).pathname, '/login', 'still on /login');
  assert.ok(refused.status() < 500, 'a wrong password is not a server error');
  assert.ok(((await page.locator('.error').first().textContent()) ?? '').trim(),
            'an .error says what went wrong');
  await shot(page, 'login-refused');

  step(`log in as the senior leader "${slt.user}"`);
  const landed = await logIn(base, page, slt);
  assert.equal(await redirectStatus(landed), 303, 'a good login answers 303');
  assert.equal(new URL(page.url()).pathname, '/review', 'a senior leader lands on /review');
  const cookie = (await sltContext.cookies()).find((c) => c.name === 'cg_session');
  assert.ok(cookie, 'the cg_session cookie is set');
  assert.equal(cookie.httpOnly, true, 'cg_session is HttpOnly');
  assert.equal(cookie.sameSite, 'Strict', 'cg_session is SameSite=Strict');
  ok('logged in; cg_session is HttpOnly and SameSite=Strict');

  step('the review list shows every held photo by its file name');
  const links = page.locator('a.held-photo');
  const hrefs = await links.evaluateAll((as) => as.map((a) => [a.getAttribute('href'),
                                                                a.textContent.trim()]));
  for (const [key, id] of Object.entries(ids)) {
    const record = await api(`/api/v1/photos/${id}`);
    const link = hrefs.find(([href]) => href === `/review/${id}`);
    assert.ok(link, `the ${key} photo ${id} is listed: ${JSON.stringify(hrefs)}`);
    assert.equal(link[1], record.file_name, `the ${key} photo's link shows its file name`);
  }
  for (const [href] of hrefs) assert.match(href, /^\/review\/[0-9a-f]{32}$/, 'link shape');
  ok(`${hrefs.length} held photo(s) listed`);
  await checkAccessibility(page, 'the held photos');
  await shot(page, 'review-list');

  step('the group photo: every face boxed and labelled, as many as the API found');
  await openHeldPhoto(page, ids.approve, 'group photo');
  await checkOnTablet(page, 'group-photo');
  await shot(page, 'group-photo');

  step('a forged request (wrong CSRF token) is refused');
  const forged = await postFromPage(page, `/review/${ids.approve}/approve`, { csrf: 'forged' });
  assert.ok(forged.status() >= 400 && forged.status() < 500,
            `POST with a wrong csrf answers ${forged.status()}`);
  ok(`refused with ${forged.status()}: ` +
     `"${((await page.locator('h1').first().textContent()) ?? '').trim()}"`);
  await shot(page, 'forged-refused');
  const unchanged = await fetch(`${base}/api/v1/photos/${ids.approve}/published`,
                                { headers: { Authorization: `Bearer ${apiKey}` } });
  assert.equal(unchanged.status, 409, 'the forged request published nothing');
  await openHeldPhoto(page, ids.approve, 'group photo');

  step('approve the group photo');
  assert.equal(await page.locator('form#approve').count(), 1,
               'the newsletter allows an override, so form#approve is offered');
  await submitAction(page, 'form#approve', 'approve');
  assert.equal(await page.locator(`a.held-photo[href="/review/${ids.approve}"]`).count(), 0,
               'the approved photo has left the list');
  await shot(page, 'after-approve');

  step('the photo with an unknown face: the faces are named or marked Unknown');
  const composite = await openHeldPhoto(page, ids.redact, 'composite');
  const unknown = composite.shown.filter((s) => s.status === 'unknown');
  assert.equal(unknown.length, 1, 'one face is unknown');
  assert.equal(unknown[0].label, 'Unknown', 'the unknown face is labelled "Unknown"');
  assert.equal(unknown[0].person, '', 'the unknown face names no one');
  const amy = composite.shown.find((s) => s.person === 'P001');
  assert.ok(amy, 'Amy (P001) is recognised');
  assert.equal(amy.label, 'Amy Fowler', "Amy's face is labelled with her name");
  assert.equal(await page.locator('form.identify').count(), 1,
               'one form.identify, for the unknown face');
  assert.ok(await page.locator('#register-names option').count() > 0,
            'the identify field offers the names as one types');
  assert.equal(await page.locator('form.identify input[name=person]').inputValue(), '',
               'nobody is chosen before a name is typed');
  await shot(page, 'composite');

  step('publish a redacted copy of it');
  const redactButton = page.locator('form#redact button');
  assert.match((await redactButton.first().textContent()) ?? '', /Preview the covered copy/);
  await submitAction(page, 'form#redact', 'redact');
  await shot(page, 'after-redact');

  step('reject a photo: a reason is required');
  await openHeldPhoto(page, ids.reject, 'photo to reject');
  const reason = page.locator('form#reject textarea[name=reason]');
  assert.equal(await reason.count(), 1, 'form#reject has a reason box');
  assert.equal(await reason.evaluate((el) => el.required), true, 'the reason is required');
  const formCsrf = await page.locator('form#reject input[name=csrf]').getAttribute('value');
  const blank = await postFromPage(page, `/review/${ids.reject}/reject`,
                                   { csrf: formCsrf, reason: '   ' });
  assert.equal(blank.status(), 400, 'a blank reason is refused by the service too');
  const title = ((await page.locator('h1').first().textContent()) ?? '').trim();
  const message = ((await page.locator('main, body').first().innerText()) ?? '').trim();
  assert.ok(title && message.length > title.length, 'the refusal explains itself');
  ok(`a blank reason is refused with 400: "${title}"`);
  await shot(page, 'blank-reason-refused');
  await openHeldPhoto(page, ids.reject, 'photo to reject');
  await reason.fill(rejectReason);
  await submitAction(page, 'form#reject', 'reject');
  assert.equal(await page.locator(`a.held-photo[href="/review/${ids.reject}"]`).count(), 0,
               'the rejected photo has left the list');
  await shot(page, 'after-reject');

  step('a photo blocked for a no-photo pupil is listed for a covered copy, not for approval');
  await page.goto(base + '/review');
  assert.equal(await page.locator(`a.blocked-photo[href="/review/${blockedId}"]`).count(), 1,
               'the blocked photo is listed among those a covered copy could save');
  assert.equal(await page.locator(`a.held-photo[href="/review/${blockedId}"]`).count(), 0,
               'it is not listed as held');
  await shot(page, 'blocked-listed');

  step('the blocked photo: the small face is labelled as possibly the no-photo pupil');
  const blocked = await openHeldPhoto(page, blockedId, 'blocked photo');
  const possible = blocked.shown.find((s) => s.person === 'P003');
  assert.ok(possible, `Howard (P003) is marked on a face: ${JSON.stringify(blocked.shown)}`);
  assert.match(possible.label, /^Possibly NO PHOTO: Howard Wolowitz$/,
               'the face is labelled "Possibly NO PHOTO: name", with no raw distance');
  assert.equal(possible.status, 'no_photo');
  const notice = ((await page.locator('#blocked').textContent()) ?? '').trim();
  assert.ok(notice.includes(coveredCopySentence),
            `the page says what the note beside the photo says: "${notice}"`);
  assert.equal(await page.locator('form#approve').count(), 0, 'no approve form');
  assert.equal(await page.locator('form#dismiss').count(), 1,
               'a blocked photo may be left blocked and taken off the list');
  const coverBox = page.locator('form#redact input[name=cover]:checked');
  assert.ok(await coverBox.count() >= 1, "Howard's face is ticked to be covered");
  await shot(page, 'blocked-photo');

  step('the original cannot be approved, even with a valid CSRF token');
  const blockedCsrf = await page.locator('form#redact input[name=csrf]').getAttribute('value');
  const approveAttempt = await postFromPage(page, `/review/${blockedId}/approve`,
                                            { csrf: blockedCsrf });
  assert.equal(approveAttempt.status(), 409,
               `POST /review/<blocked>/approve answers ${approveAttempt.status()}`);
  const notPublished = await fetch(`${base}/api/v1/photos/${blockedId}/published`,
                                   { headers: { Authorization: `Bearer ${apiKey}` } });
  assert.equal(notPublished.status, 409, 'nothing was published');
  ok('refused with 409; the photo was not published');
  await shot(page, 'blocked-approve-refused');

  step('publish a covered copy of the blocked photo');
  await openHeldPhoto(page, blockedId, 'blocked photo');
  await submitAction(page, 'form#redact', 'covered copy');
  assert.equal(await page.locator(`a.blocked-photo[href="/review/${blockedId}"]`).count(), 0,
               'the photo has left the list');
  await shot(page, 'after-covered-copy');

  step('identify a face by typing a name: nobody is chosen for you, and a near miss is refused');
  await openHeldPhoto(page, ids.identify, 'photo to identify');
  const field = page.locator('form.identify input[name=person]');
  assert.equal(await field.count(), 1, 'one face to identify');
  assert.equal(await field.inputValue(), '', 'the field starts empty');
  const offered = await page.locator('#register-names option')
    .evaluateAll((options) => options.map((o) => o.value));
  const choice = offered.find((v) => v.startsWith(identifyName) &&
                                     v.endsWith(`(${identifyPerson})`));
  assert.ok(choice, `the list offers ${identifyName}: ${JSON.stringify(offered)}`);
  await field.fill(identifyName.slice(0, 3));
  await Promise.all([page.waitForNavigation(),
                     page.locator('form.identify button[type=submit]').click()]);
  assert.match((await page.locator('form.identify .field-error').textContent()) ?? '',
               /not exactly one person|Nobody in the register/,
               'a part of a name is refused beside the field');
  await checkAccessibility(page, 'the identify error');
  await shot(page, 'identify-refused');
  await page.locator('form.identify input[name=person]').fill(choice);
  const identified = await submitAction(page, 'form.identify', 'identify');
  assert.match(identified, /checked again/);
  await shot(page, 'after-identify');

  step('dismiss a blocked photo: it stays blocked and leaves the list');
  await openHeldPhoto(page, dismissId, 'blocked photo to dismiss');
  await submitAction(page, 'form#dismiss', 'dismiss');
  assert.equal(await page.locator(`a.blocked-photo[href="/review/${dismissId}"]`).count(), 0,
               'the dismissed photo has left the list');
  await shot(page, 'after-dismiss');

  step('the API sees the decisions: only the approved and the redacted photo can be fetched');
  ids.blocked = blockedId;
  ids.dismiss = dismissId;
  const expected = { approve: 200, redact: 200, reject: 409, office: 409, blocked: 200,
                     dismiss: 409 };
  for (const [key, want] of Object.entries(expected)) {
    const record = await api(`/api/v1/photos/${ids[key]}`);
    const published = await fetch(`${base}/api/v1/photos/${ids[key]}/published`,
                                  { headers: { Authorization: `Bearer ${apiKey}` } });
    assert.equal(published.status, want, `GET /api/v1/photos/<${key}>/published`);
    assert.equal(record.published !== undefined, want === 200,
                 `the ${key} photo's record has a "published" link only if it was published`);
    ok(`${key} ${ids[key]}: verdict ${record.verdict}, status ${record.status}, ` +
       `published copy ${published.status}`);
  }
  const verdicts = { approve: ['publish', 'approved'], redact: ['publish', 'redacted'],
                     reject: ['block', 'rejected'], blocked: ['publish', 'redacted'],
                     dismiss: ['block', 'rejected'] };
  for (const [key, [verdict, decision]] of Object.entries(verdicts)) {
    const record = await api(`/api/v1/photos/${ids[key]}`);
    assert.equal(record.verdict, verdict, `the ${key} photo's verdict is the senior leader's`);
    assert.equal(record.decision?.decision, decision, `the ${key} photo's decision`);
    assert.equal(record.decision?.decided_by, `user:${slt.user}`, `who decided the ${key} photo`);
  }
  ok('the API reports each senior leader decision with who made it');

  step('log out');
  await page.goto(base + '/review');
  const csrf = await page.locator('input[name=csrf]').first().getAttribute('value');
  assert.ok(csrf, 'a csrf value on /review for the logout form');
  await postFromPage(page, '/logout', { csrf });
  const after = await page.goto(base + '/review');
  assert.ok(new URL(page.url()).pathname === '/login' || [401, 403].includes(after.status()),
            `after logging out, /review is no longer shown (${after.status()} ${page.url()})`);
  ok(`logged out; /review now gives ${after.status()} at ${new URL(page.url()).pathname}`);
  await sltContext.close();

  // ---- An office user ----
  const officeContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
  const officePage = await officeContext.newPage();
  watch(officePage);

  step(`log in as the office user "${office.user}"`);
  await logIn(base, officePage, office);
  assert.equal(new URL(officePage.url()).pathname, '/photos', 'office staff land on /photos');
  await shot(officePage, 'office-photos');

  step('the office user is refused the review page');
  const forbidden = await officePage.goto(base + '/review');
  assert.equal(forbidden.status(), 403, 'GET /review as office answers 403');
  assert.equal(((await officePage.locator('h1').first().textContent()) ?? '').trim(),
               'Not allowed');
  await shot(officePage, 'office-refused');

  step('the office user cannot approve a held photo, even with a valid CSRF token');
  await officePage.goto(base + '/photos');
  const officeCsrf = await officePage.locator('input[name=csrf]').first().getAttribute('value');
  assert.ok(officeCsrf, '/photos has a form with a csrf value');
  const attempt = await postFromPage(officePage, `/review/${ids.office}/approve`,
                                     { csrf: officeCsrf });
  assert.equal(attempt.status(), 403, `POST /review/<id>/approve as office: ${attempt.status()}`);
  await shot(officePage, 'office-approve-refused');
  assert.equal(((await officePage.locator('h1').first().textContent()) ?? '').trim(),
               'Not allowed');
  const stillHeld = await fetch(`${base}/api/v1/photos/${ids.office}/published`,
                                { headers: { Authorization: `Bearer ${apiKey}` } });
  assert.equal(stillHeld.status, 409, 'the photo was not published');
  ok('refused with 403 "Not allowed"; the photo was not published');
  await officeContext.close();
}

await runInBrowser(run);
