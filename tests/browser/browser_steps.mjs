// What the browser test scripts share: their settings from the environment, numbered steps with
// screenshots, signing in, posting a form as the page itself would, and running the test in
// Debian's headless Chromium (driven by playwright-core) with a report of the step that failed.
// A script calls screenshotsIn() once, watch() on the page it is working in, and ends with
// runInBrowser(run); the process exits 0 only when every step passed.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { chromium } from 'playwright-core';

const script = basename(process.argv[1] ?? 'browser test');
let stepNumber = 0;
let shots = '.';
let currentPage = null;

// An environment variable the C++ test sets; the script stops (exit 2) without it.
export function setting(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${script}: ${name} is not set (the script is run by cg_browser_tests)`);
    process.exit(2);
  }
  return value;
}

export function screenshotsIn(folder) {
  shots = folder;
  mkdirSync(shots, { recursive: true });
}

// The page whose address, text and screenshot are reported if a step fails.
export function watch(page) {
  currentPage = page;
}

export function step(text) {
  stepNumber += 1;
  console.log(`[browser] step ${stepNumber}: ${text}`);
}

export function ok(text) {
  console.log(`[browser]   ok: ${text}`);
}

// A screenshot of the page as it is now, after axe-core has checked it: every page a test shows
// is checked (a failure's own screenshot is not).
export async function shot(page, name) {
  if (name !== 'failure') await checkAccessibility(page, `${page.url()} (${name})`);
  const path = join(shots, `${String(stepNumber).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`[browser]   screenshot: ${path}`);
}

export async function heading(page) {
  return ((await page.locator('h1').first().textContent()) ?? '').trim();
}

// Fills and submits the login form; returns the response the browser ends on.
export async function logIn(base, page, account) {
  const loginPage = await page.goto(base + '/login');
  assert.equal(loginPage.status(), 200, 'GET /login');
  await checkAccessibility(page, '/login');
  const form = page.locator('form#login');
  assert.equal(await form.getAttribute('method'), 'post', 'form#login method');
  assert.equal(await form.getAttribute('action'), '/login', 'form#login action');
  const csrf = await form.locator('input[name=csrf]').getAttribute('value');
  assert.ok(csrf, 'form#login has a hidden csrf value');
  await form.locator('input[name=username]').fill(account.user);
  await form.locator('input[name=password]').fill(account.password);
  const [response] = await Promise.all([
    page.waitForNavigation(),
    form.locator('button[type=submit]').click(),
  ]);
  return response;
}

// Posts a form built in the page itself, as a browser would send it (same origin, with the
// session cookie); returns the response the browser ends on.
export async function postFromPage(page, path, fields) {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.evaluate(({ path, fields }) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = path;
      for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.appendChild(input);
      }
      document.body.appendChild(form);
      form.submit();
    }, { path, fields }),
  ]);
  return response;
}

// The page at a tablet's size (768 x 1024, upright): nothing is wider than the screen, so that
// nothing needs scrolling sideways; checked by axe-core and kept as a screenshot.
export async function checkOnTablet(page, name) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 768, height: 1024 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `on a tablet the page is ${overflow} px wider than the screen`);
  await shot(page, `${name}-tablet`);
  ok(`${name} fits a tablet`);
  if (before) await page.setViewportSize(before);
}

// axe-core, read once. It is evaluated in the page through the browser's debugging protocol,
// which the pages' Content-Security-Policy (no scripts) does not apply to.
let axeSource = null;

// Runs axe-core on the page as it is now and fails the step on any serious or critical finding,
// listing each rule, what it is about and the elements. Minor and moderate findings are printed.
export async function checkAccessibility(page, where) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of found) {
    const line = `${v.impact} ${v.id} (${v.help}): ${v.nodes.join(', ')}`;
    console.log(`[browser]   axe on ${where}: ${line}`);
  }
  assert.equal(bad.length, 0, `axe-core found ${bad.length} serious or critical problem(s) on ` +
    `${where}: ${bad.map((v) => `${v.id} at ${v.nodes.join(', ')}`).join('; ')}`);
  ok(`axe-core: no serious or critical problem on ${where}`);
}

// Runs `run(browser)` and exits: 0 when every step passed, 1 with the failed step's page,
// text and screenshot otherwise. A hung page must not hang the test suite: ctest's own timeout
// would say nothing useful.
export async function runInBrowser(run) {
  const overall = setTimeout(() => {
    console.error('FAILED: the browser test took longer than 10 minutes');
    process.exit(1);
  }, 10 * 60 * 1000);
  const browser = await chromium.launch({
    executablePath: process.env.CG_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
           '--disable-background-networking'],
  });
  let status = 0;
  try {
    await run(browser);
    console.log('[browser] PASSED: every step');
  } catch (error) {
    status = 1;
    console.error(`[browser] FAILED at step ${stepNumber}: ${error.message}`);
    if (currentPage && !currentPage.isClosed()) {
      console.error(`[browser]   page: ${currentPage.url()}`);
      const text = await currentPage.locator('body').innerText().catch(() => '');
      console.error(`[browser]   page text: ${text.slice(0, 800).replace(/\s+/g, ' ')}`);
      await shot(currentPage, 'failure').catch(() => {});
    }
  } finally {
    await browser.close();
    clearTimeout(overall);
  }
  process.exit(status);
}
