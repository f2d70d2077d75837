// The n8n editor in headless Chromium (Debian's `chromium`, driven by puppeteer-core; puppeteer's
// own browser download cannot work here). Selectors are the editor's data-test-ids, the same in
// n8n 1.123.81 and 2.41.1 unless noted (checked in both).
/* global document -- functions passed to page.waitForFunction / $$eval run in the browser */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const puppeteer = require('puppeteer-core');

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** A loaded 2-core CI machine: the editor's first load can take most of a minute. */
const WAIT_MS = 180_000;

export const SELECTORS = {
  canvasNode: (name) => `[data-test-id="canvas-node"][data-node-name="${name}"]`,
  plusButton: '[data-test-id="node-creator-plus-button"]',
  search: '[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]',
  itemName: '[data-test-id="node-creator-item-name"]',
  noResults: '[data-test-id="node-creator-no-results"]',
  parameters: '[data-test-id="node-parameters"]',
  parameterInput: (name) => `[data-test-id="parameter-input-${name}"]`,
  issues: '[data-test-id="parameter-issues"]',
  addOption: '[data-test-id="node-parameters"] input[placeholder="Add Option"]',
  dropdownItem: '.el-select-dropdown__item',
  executeWorkflow: '[data-test-id="execute-workflow-button"]',
  nodeSuccess: '[data-test-id="canvas-node-status-success"]',
  nodeError: '[data-test-id="canvas-node-status-error"]',
  binaryTab: '[data-test-id="radio-button-binary"]',
  binaryCard: '[data-test-id="ndv-binary-data_0"]',
  viewBinary: '[data-test-id="ndv-view-binary-data"]',
  outputData: '[data-test-id="ndv-data-container"]',
};

/** Installs Debian's chromium when it is missing (as root: the CI container). */
export function ensureChromium(log) {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get update && apt-get install -y chromium)`);
  }
  log('installing chromium with apt-get (first run only)');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

export async function launchBrowser() {
  return await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** A page signed in with n8n's auth cookie; dialogs (a beforeunload prompt) are accepted. */
export async function openPage(browser, baseUrl, cookie) {
  const [name, ...value] = cookie.split('=');
  await browser.setCookie({ name, value: value.join('='), domain: new URL(baseUrl).hostname, path: '/' });
  const page = await browser.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.setViewport({ width: 1366, height: 850 });
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

export async function openWorkflow(page, baseUrl, id, firstNode) {
  await page.goto(`${baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(SELECTORS.canvasNode(firstNode));
  await page.waitForSelector(SELECTORS.plusButton);
}

/** The visible texts of the elements matching `selector`. */
export async function visibleTexts(page, selector) {
  return await page.$$eval(selector, (elements) =>
    elements
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      })
      .map((e) => e.textContent.trim()),
  );
}

/** Waits for a visible element of `selector` whose text is `text`, and clicks it. */
export async function clickText(page, selector, text) {
  const handle = await page.waitForFunction(
    (sel, wanted) =>
      [...document.querySelectorAll(sel)].find((e) => {
        const r = e.getBoundingClientRect();
        return e.textContent.trim() === wanted && r.width > 0 && r.height > 0;
      }),
    {},
    selector,
    text,
  );
  await handle.asElement().click();
  await handle.dispose();
}

/**
 * Opens the nodes panel (the "+" button) and types `term` into its search; with `expect`, waits
 * until a result is titled so or the panel says it found nothing (then it fails, listing what the
 * panel shows).
 */
export async function searchNodes(page, term, expect) {
  if (!(await page.$(SELECTORS.search))) await page.click(SELECTORS.plusButton);
  // Visible is not enough: a closed panel can sit off-screen and one sliding in has no point to
  // click yet ("Node is either not clickable"; two clean-clone runs failed so). Try again, and
  // open the panel again every 2 s in case it was parked closed.
  let input;
  for (let tries = 0; ; tries++) {
    input = await page.waitForSelector(SELECTORS.search, { visible: true });
    try {
      await input.click({ count: 3 });
      break;
    } catch (error) {
      if (tries >= 100 || !/not clickable/.test(String(error?.message))) throw error;
      if (tries % 10 === 0) await page.click(SELECTORS.plusButton).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await page.keyboard.press('Backspace');
  if (term === '') return;
  await input.type(term);
  if (!expect) return;
  // The results follow the input a moment later (the root view's categories show until then).
  const found = await page
    .waitForFunction(
      (item, none, title) => document.querySelector(none) || [...document.querySelectorAll(item)].some((e) => e.textContent.trim() === title),
      { timeout: 60_000 },
      SELECTORS.itemName,
      SELECTORS.noResults,
      expect,
    )
    .then(() => true, () => false);
  const names = await visibleTexts(page, SELECTORS.itemName);
  if (!found || !names.includes(expect)) {
    const none = (await page.$(SELECTORS.noResults)) ? ' ("no results")' : '';
    throw new Error(`searching "${term}" does not list ${expect}${none}; the panel shows ${JSON.stringify(names)}`);
  }
}

/** Picks `name` in the open dropdown of an options field (its items show the name above a description). */
/**
 * A dropdown opens with a zoom transition: a click aimed while it runs lands on another item (under
 * load, picking the last model in the Model dropdown chose the one above it). Clicks once the
 * item has stopped moving.
 */
async function clickWhenStill(handle) {
  let last = '';
  for (let tries = 0; tries < 50; tries++) {
    const box = JSON.stringify(await handle.asElement().boundingBox());
    if (box === last) break;
    last = box;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await handle.asElement().click();
  await handle.dispose();
}

export async function clickOption(page, name) {
  const handle = await page.waitForFunction(
    (sel, wanted) =>
      [...document.querySelectorAll(sel)].find((item) => {
        const r = item.getBoundingClientRect();
        const texts = [item, ...item.querySelectorAll('*')].filter((e) => e === item || e.children.length === 0).map((e) => e.textContent.trim());
        return r.width > 0 && r.height > 0 && texts.includes(wanted);
      }),
    {},
    SELECTORS.dropdownItem,
    name,
  );
  await clickWhenStill(handle);
}

/** Picks `title` from the list of resource locator `name` (mode From List), as n8n's list search gives it. */
export async function pickFromLocatorList(page, name, title) {
  await page.click(`${SELECTORS.parameterInput(name)} [data-test-id="rlc-input"]`);
  const handle = await page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll('[data-test-id="rlc-item"]')].find((item) => {
        const r = item.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && [...item.querySelectorAll('*')].some((e) => e.children.length === 0 && e.textContent.trim() === wanted);
      }),
    {},
    title,
  );
  await clickWhenStill(handle);
}

/** Switches resource locator `name` to the mode titled `mode` and types `value` into it. */
export async function typeInLocatorMode(page, name, mode, value) {
  await page.click(`${SELECTORS.parameterInput(name)} [data-test-id="rlc-mode-selector"]`);
  await clickOption(page, mode);
  const input = `${SELECTORS.parameterInput(name)} [data-test-id="rlc-input"] input, ${SELECTORS.parameterInput(name)} input[data-test-id="rlc-input"]`;
  await page.waitForSelector(input, { visible: true });
  // Pasted, as a path copied from AnyAPI's docs usually is: n8n 1.123.81 redraws the panel when
  // the first "/" makes the path one the node does not list, and the input loses the focus, so
  // typing it key by key leaves "/" (a user clicks back in and goes on; n8n 2.41.1 keeps the focus).
  await page.click(input, { count: 3 });
  await page.keyboard.sendCharacter(value);
  await page.keyboard.press('Tab');
  const typed = await page.$eval(input, (e) => e.value);
  if (typed !== value) throw new Error(`${name} By Path holds "${typed}" after pasting "${value}"`);
  // n8n checks the path's pattern as it is typed: wait for the check of the whole value (its
  // issues icon gone) before anyone looks at the panel.
  await page.waitForFunction(
    (input, issues) => {
      // The parameter's own issues icon: on the nearest ancestor holding one, without reaching another parameter.
      const own = (element) =>
        new Set([...element.querySelectorAll('[data-test-id^="parameter-input-"]')].map((e) => e.getAttribute('data-test-id')).filter((id) => id !== 'parameter-input-field'));
      for (let node = document.querySelector(input); node; node = node.parentElement) {
        if (own(node).size > 1) return true;
        if (node.querySelector(`${issues} svg`)) return false;
      }
      return true;
    },
    { timeout: 10_000 },
    SELECTORS.parameterInput(name),
    SELECTORS.issues,
  );
}

/** Clicks a category of the nodes panel's root view ("AI", "Action in an app", ...) by its title. */
export async function clickCategory(page, title) {
  const handle = await page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll('[data-test-id="item-iterator-item"]')].find((item) =>
        [...item.querySelectorAll('*')].some((e) => e.children.length === 0 && e.textContent.trim() === wanted),
      ),
    {},
    title,
  );
  await handle.asElement().click();
  await handle.dispose();
}

/**
 * The parameters the panel shows (their `parameter-input-<name>` ids), in panel order; with
 * `expected`, first waits (up to 30 s) for the panel to show those, as it redraws after a change.
 */
export async function shownParameters(page, expected) {
  const read = () =>
    page.$$eval(`${SELECTORS.parameters} [data-test-id^="parameter-input-"]`, (elements) =>
      elements
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.height > 0;
        })
        .map((e) => e.getAttribute('data-test-id').slice('parameter-input-'.length))
        // 'field' and 'hint' are parts of an input (a list's field, the note on a field the AI model fills), not parameters.
        .filter((name) => name !== 'field' && name !== 'hint'),
    );
  let shown = await read();
  for (let tries = 0; expected && JSON.stringify(shown) !== JSON.stringify(expected) && tries < 150; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    shown = await read();
  }
  return shown;
}

/** The issue texts shown on hover of the issues icon of parameter `name` (n8n 1.x: el-tooltip; 2.x: a reka tooltip). */
export async function hoverIssues(page, name) {
  const icon = await page.waitForFunction(
    (input, issues) => {
      // The nearest ancestor of the input holding an issues icon, without reaching another parameter.
      const own = (element) =>
        new Set([...element.querySelectorAll('[data-test-id^="parameter-input-"]')].map((e) => e.getAttribute('data-test-id')).filter((id) => id !== 'parameter-input-field'));
      for (let node = document.querySelector(input); node; node = node.parentElement) {
        if (own(node).size > 1) return null;
        const icon = node.querySelector(`${issues} svg`);
        if (icon) return icon;
      }
      return null;
    },
    {},
    SELECTORS.parameterInput(name),
    SELECTORS.issues,
  );
  await icon.asElement().hover();
  const text = await page.waitForFunction(() => {
    const tips = [...document.querySelectorAll('.el-popper, [role="tooltip"], [data-reka-popper-content-wrapper]')]
      .filter((e) => e.getBoundingClientRect().width > 0)
      .map((e) => e.textContent.trim())
      .filter((t) => t.startsWith('Issues:'));
    return tips[0] ?? null;
  });
  return await text.jsonValue();
}
