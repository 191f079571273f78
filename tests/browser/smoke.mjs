// Checks that playwright-core can drive Debian's Chromium headless, without the service: a page
// with a form is filled in and read back. cg_browser_tests runs it before the review pages test,
// so that a broken browser set-up is reported as such.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: process.env.CG_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
         '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  await page.setContent('<h1>Consent Guard</h1><form><input name="reason" required></form>');
  await page.locator('input[name=reason]').fill('Not for the website');
  assert.equal(await page.locator('h1').textContent(), 'Consent Guard');
  assert.equal(await page.locator('input[name=reason]').inputValue(), 'Not for the website');
  console.log(`[browser] Chromium ${browser.version()} runs headless`);
} finally {
  await browser.close();
}
