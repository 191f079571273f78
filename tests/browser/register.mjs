// The admin's daily path in a real browser (Debian's headless Chromium, driven by
// playwright-core): an admin signs in, gives one account two roles and resets its password, finds
// a pupil, withdraws their website consent after a confirmation and sees the takedown of their
// published photo, with its picture; a register file with a bad row is refused at its
// preview, listing the row, and changes nothing; an office user marks the takedown done and
// cannot open the register. cg_browser_tests (review_browser_test.cpp) prepares the service and the published
// photo, runs this script, and checks the outcome in the database and the API afterwards.
// Exits 0 only when every step passed.
//
// Environment (all set by the C++ test):
//   CG_BASE_URL                         https://127.0.0.1:PORT (its certificate is the
//                                       one the service made; the C++ side checks it)
//   CG_ADMIN_USER, CG_ADMIN_PASSWORD    an admin's account
//   CG_OFFICE_USER, CG_OFFICE_PASSWORD  an office account
//   CG_SLT_USER, CG_SLT_NEW_PASSWORD    a senior leader's account, given the DSL role too and a
//                                       new password by the admin
//   CG_PUPIL_SEARCH, CG_PUPIL_ID        what to type to find the pupil, and their register id
//   CG_PHOTO_PUBLISHED                  the id of the pupil's published photo
//   CG_SCREENSHOTS, CG_CHROMIUM
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  checkAccessibility, checkOnTablet, logIn, ok, runInBrowser, screenshotsIn, setting, shot, step, watch,
} from './browser_steps.mjs';

const base = setting('CG_BASE_URL');
const admin = { user: setting('CG_ADMIN_USER'), password: setting('CG_ADMIN_PASSWORD') };
const office = { user: setting('CG_OFFICE_USER'), password: setting('CG_OFFICE_PASSWORD') };
const slt = { user: setting('CG_SLT_USER'), password: setting('CG_SLT_NEW_PASSWORD') };
const search = setting('CG_PUPIL_SEARCH');
const pupil = setting('CG_PUPIL_ID');
const photo = setting('CG_PHOTO_PUBLISHED');
screenshotsIn(join(setting('CG_SCREENSHOTS'), 'register'));

async function run(browser) {
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
  const page = await adminContext.newPage();
  watch(page);

  step(`log in as the admin "${admin.user}" and give "${slt.user}" a second role`);
  await logIn(base, page, admin);
  await page.goto(base + '/admin');
  await checkAccessibility(page, '/admin');
  const sltRow = page.locator(`table#accounts tr[data-name="${slt.user}"]`);
  assert.equal(await sltRow.count(), 1, 'the senior leader is listed');
  const dslBox = sltRow.locator('form.roles input[type=checkbox][value=dsl]');
  assert.equal(await dslBox.isChecked(), false, 'not the DSL yet');
  await dslBox.check();
  await Promise.all([page.waitForNavigation(),
                     sltRow.locator('form.roles button[type=submit]').click()]);
  assert.match((await page.locator('.notice').first().textContent()) ?? '',
               /roles are now: Senior leader, DSL/);
  assert.equal(await page.locator(`table#accounts tr[data-name="${slt.user}"] ` +
                                  'form.roles input[value=dsl]').isChecked(), true);
  ok('two roles saved');
  await shot(page, 'two-roles');

  step(`reset the password of "${slt.user}"`);
  const reset = page.locator(`table#accounts tr[data-name="${slt.user}"] form.password`);
  await reset.locator('input[name=password]').fill(slt.password);
  await reset.locator('input[name=password_again]').fill(slt.password);
  await Promise.all([page.waitForNavigation(), reset.locator('button[type=submit]').click()]);
  assert.match((await page.locator('.notice').first().textContent()) ?? '', /password is reset/);
  await checkAccessibility(page, '/admin after a reset');
  await shot(page, 'password-reset');
  await checkOnTablet(page, 'accounts');

  step('open the register');
  await page.locator('a[href="/register"]').first().click();
  assert.equal(new URL(page.url()).pathname, '/register', 'the Register link opens /register');
  assert.ok(await page.locator('table#register tr.person').count() > 1, 'people are listed');
  await checkAccessibility(page, '/register');
  await shot(page, 'register');

  step(`find the pupil by typing "${search}"`);
  await page.locator('form#register-search input[name=q]').fill(search);
  await Promise.all([page.waitForNavigation(),
                     page.locator('form#register-search button[type=submit]').click()]);
  const rows = page.locator('table#register tr.person');
  assert.equal(await rows.count(), 1, 'one person is found');
  assert.equal(await rows.first().getAttribute('data-id'), pupil, 'the pupil is found');
  await shot(page, 'found');

  step("open the pupil's page and ask to withdraw their website consent");
  await Promise.all([page.waitForNavigation(), rows.first().locator('a').click()]);
  await checkAccessibility(page, "the pupil's page");
  const website = page.locator('table#consent tr[data-channel=website]');
  assert.match((await website.locator('td').nth(1).textContent()) ?? '', /given/,
               'website consent is given');
  const withdraw = website.locator('form.consent-withdraw');
  await Promise.all([page.waitForNavigation(), withdraw.locator('button').click()]);
  assert.equal(new URL(page.url()).pathname, `/register/${pupil}/withdraw`, 'a confirm page');
  assert.match((await page.locator('#withdraw-warning').textContent()) ?? '', /must come down/);
  await checkAccessibility(page, 'the withdrawal confirmation');
  await shot(page, 'confirm-withdrawal');
  ok('nothing is withdrawn before the confirmation');

  step('confirm the withdrawal');
  await Promise.all([page.waitForNavigation(),
                     page.locator('form#withdraw-confirm button[type=submit]').click()]);
  assert.equal(new URL(page.url()).pathname, `/register/${pupil}`, 'back on the pupil page');
  assert.match((await page.locator('.notice').first().textContent()) ?? '', /Takedowns/,
               'the notice points to the takedowns');
  assert.doesNotMatch((await website.locator('td').nth(1).textContent()) ?? '', /^given/,
                      'website consent is no longer given');
  assert.ok(await page.locator('#history li, table#history tr').count() >= 1,
            'the change is in the history');
  ok('consent withdrawn; the history shows the change');
  await shot(page, 'withdrawn');

  step('the takedown of the published photo is listed');
  await page.goto(base + '/takedowns');
  const takedown = page.locator(`tr.takedown[data-photo="${photo}"]`);
  assert.equal(await takedown.count(), 1, 'the published photo must come down');
  assert.match((await takedown.textContent()) ?? '', /withdrawn/);
  const thumb = takedown.locator('img.thumb');
  assert.equal(await thumb.count(), 1, 'the takedown shows the photo');
  assert.ok(await thumb.evaluate((img) => img.complete && img.naturalWidth > 0),
            'the thumbnail loads');
  await checkAccessibility(page, '/takedowns');
  ok('the takedown is there, with its picture');
  await shot(page, 'takedown');

  step('a register file with a bad row is refused at its preview and changes nothing');
  await page.goto(base + '/register');
  await Promise.all([page.waitForNavigation(), page.locator('a[href="/import"]').click()]);
  const csv = 'id,role,given_name,family_name,no_photo,consent_website,consent_newsletter,' +
              'consent_social_media,biometric_consent,preferred_name,year_group\n' +
              'P002,pupil,Bernadette,Rostenkowski,no,no,no,no,yes,Bernie,6\n' +
              'P099,pupil,Nobody,,no,yes,yes,yes,no,,6\n';
  await page.locator('form#import input[type=file]').setInputFiles(
      { name: 'mis-export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await Promise.all([page.waitForNavigation(),
                     page.locator('form#import button[type=submit]').click()]);
  assert.match((await page.locator('#import-refused').textContent()) ?? '', /Nothing was changed/);
  const badLines = page.locator('ul#bad-lines li');
  assert.equal(await badLines.count(), 1, 'one bad line is listed');
  assert.match((await badLines.first().textContent()) ?? '', /^Line 3: family_name is empty/);
  assert.equal(await page.locator('form#confirm').count(), 0, 'nothing to confirm');
  await shot(page, 'import-refused');
  await page.goto(base + '/register/P002');
  assert.match((await page.locator('table#consent tr[data-channel=website] td').nth(1)
                    .textContent()) ?? '', /^given/, "Bernadette's consent is unchanged");
  ok('the bad row is listed and the register is as it was');
  await adminContext.close();

  const officeContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
  const officePage = await officeContext.newPage();
  watch(officePage);

  step(`the office user "${office.user}" cannot open the register`);
  await logIn(base, officePage, office);
  assert.equal(await officePage.locator('a[href="/register"]').count(), 0, 'no Register link');
  const refused = await officePage.goto(base + '/register');
  assert.equal(refused.status(), 403, 'GET /register as office answers 403');
  await shot(officePage, 'office-refused');

  step('the office user marks the takedown done');
  await officePage.goto(base + '/takedowns');
  const row = officePage.locator(`tr.takedown[data-photo="${photo}"]`);
  assert.equal(await row.count(), 1, 'the office sees the takedown');
  await row.locator('details.takedown-confirm summary').click();
  await Promise.all([officePage.waitForNavigation(), row.locator('form button').click()]);
  assert.match((await officePage.locator('.notice').first().textContent()) ?? '', /marked done/);
  assert.equal(await officePage.locator(`tr.takedown[data-photo="${photo}"]`).count(), 0,
               'it has left the list');
  ok('marked done');
  await checkAccessibility(officePage, '/takedowns after done');
  await shot(officePage, 'done');
  await officeContext.close();
}

await runInBrowser(run);
