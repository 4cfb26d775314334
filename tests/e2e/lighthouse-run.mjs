// Lighthouse on one URL with cookies in the browser's own jar (extraHeaders' Cookie loses the
// session as soon as the page receives a cookie of its own). Mobile form factor, default
// simulated throttling. Usage: node lighthouse-run.mjs URL CATEGORIES COOKIES_JSON > report.json
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import puppeteer from 'puppeteer-core';

const [url, categories, cookiesJson = '[]'] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
  const page = await browser.newPage();
  const cookies = JSON.parse(cookiesJson);
  if (cookies.length) await page.setCookie(...cookies);
  const result = await lighthouse(url, {
    port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories.split(','), formFactor: 'mobile',
  }, undefined, page);
  process.stdout.write(result.report);
  await browser.disconnect();
} finally {
  await chrome.kill();
}
