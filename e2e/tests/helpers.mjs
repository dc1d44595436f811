// Shared helpers: the browser, sign-in, axe-core and HTML validation.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
export const BASE = process.env.E2E_BASE_URL;
export const PASSWORD = 'demo-salasana-2026';
export const OUT = path.resolve('test-output');
const AXE = require.resolve('axe-core/axe.min.js');
const VNU = require.resolve('vnu-jar/build/dist/vnu.jar');

if (!BASE) throw new Error('E2E_BASE_URL is not set: run e2e/run.sh');

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A signed-in page for a demo user. Axe is injected, so the page's own CSP is bypassed for the test only. */
export async function signIn(browser, email, { locale = 'fi-FI', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ bypassCSP: true, locale, viewport });
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.getByLabel(/Sähköposti|E-post|E-mail/).fill(email);
  await page.getByLabel(/Salasana|Lösenord|Password/).fill(PASSWORD);
  await page.locator('form.stacked button[type=submit]').click();
  await page.waitForURL(`${BASE}/`);
  return page;
}

/** WCAG 2.1 A and AA rules of axe-core; returns the violations. */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

/** Validates HTML documents with the Nu validator; returns the errors. */
export function validateHtml(documents) {
  const dir = path.join(OUT, 'html');
  mkdirSync(dir, { recursive: true });
  const files = documents.map(({ name, html }) => {
    const file = path.join(dir, `${name}.html`);
    writeFileSync(file, html);
    return file;
  });
  try {
    execFileSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files], { stdio: 'pipe' });
    return [];
  } catch (e) {
    const report = JSON.parse(e.stderr.toString() || '{"messages":[]}');
    return report.messages.filter((m) => m.type === 'error').map((m) => `${path.basename(m.url)}:${m.lastLine}: ${m.message}`);
  }
}

export async function screenshot(page, name) {
  mkdirSync(path.join(OUT, 'screenshots'), { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'screenshots', `${name}.png`), fullPage: true });
}
