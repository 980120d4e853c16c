// Uses the interactive nomogram radnomo wrote (NOMOGRAM, a file path) in headless Chromium as a
// reader would: types each setting of tests/fixtures/nomogram/interactive_reference.json into its
// controls and reads the page's risk and 95% interval. The risk must equal radnomo's `predict`
// for the same values (PREDICTIONS, a JSON list of risks) to 1e-9 — the same arithmetic, in
// JavaScript's doubles — and R's glm predict(se.fit = TRUE) to 1e-8 for risk and interval (the
// fit itself agrees with R's to about 1e-10). Also checks the patient drawn (PATIENT's values
// start the controls) and that nothing is fetched; screenshots to SCREENSHOT.
// Run by tests/jupyterlab/run.sh.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

function fail(message) {
  console.error(`nomogram check: ${message}`);
  process.exit(1);
}

const reference = JSON.parse(readFileSync(process.env.REFERENCE, "utf8"));
const predictions = JSON.parse(process.env.PREDICTIONS);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requests = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(process.env.NOMOGRAM).href);
  const read = () => page.evaluate(() => {
    const d = document.getElementById("result").dataset;
    return { risk: Number(d.risk), low: Number(d.low), high: Number(d.high) };
  });
  // The patient's values start the controls: the first setting is that patient's.
  const start = await read();
  if (Math.abs(start.risk - predictions[0]) > 1e-9) fail(`patient's risk ${start.risk} vs predict ${predictions[0]}`);
  if ((await page.locator("circle.patient").count()) !== 4) fail("the patient is not drawn on every axis");
  for (const [k, setting] of reference.entries()) {
    for (const name of ["grade", "multifocal", "lnmri", "rad"]) {
      const control = page.locator(`[data-predictor="${name}"]`);
      if ((await control.evaluate((e) => e.tagName)) === "SELECT") {
        await control.selectOption(String(setting[name]));
      } else {
        await control.fill(String(setting[name]));
      }
    }
    const got = await read();
    if (Math.abs(got.risk - predictions[k]) > 1e-9) fail(`setting ${k}: risk ${got.risk} vs predict ${predictions[k]}`);
    for (const key of ["risk", "low", "high"]) {
      if (Math.abs(got[key] - setting[key]) > 1e-8) fail(`setting ${k}: ${key} ${got[key]} vs R ${setting[key]}`);
    }
  }
  if (errors.length) fail(`script errors: ${errors.join("; ")}`);
  if (requests.length) fail(`the page fetched ${requests.join(", ")}`);
  await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
  console.log(`nomogram check: ${reference.length} settings equal predict (1e-9) and R's intervals (1e-8)`);
} finally {
  await browser.close();
}
