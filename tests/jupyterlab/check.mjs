// Opens notebooks/01-study.ipynb in a running JupyterLab (URL and token from the environment),
// runs every cell with the radnomo kernel in headless Chromium, checks that every code cell ran
// without an error and is coloured by the kernel's editor mode, and that the nomogram cell shows
// its picture, and screenshots that cell.
// Run by tests/jupyterlab/run.sh, which starts JupyterLab first.
import { chromium } from "playwright-core";

const base = process.env.LAB_URL;
const token = process.env.LAB_TOKEN;
const shot = process.env.SCREENSHOT;
const notebook = "01-study.ipynb";

function fail(message) {
  console.error(`jupyterlab check: ${message}`);
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.setDefaultTimeout(120_000);
  await page.goto(`${base}/lab/tree/${notebook}?token=${token}`);
  // The notebook is open and its kernel is idle (the toolbar shows the kernel's name and state).
  await page.waitForSelector(".jp-Notebook .jp-Cell");
  try {
    await page.waitForFunction(
      () => document.querySelector(".jp-KernelName")?.textContent.includes("radnomo"),
      null,
      { timeout: 60_000 },
    );
  } catch {
    fail(`the notebook opened with kernel "${await page.textContent(".jp-KernelName")}"`);
  }
  await page.waitForSelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");

  // Run ▸ Run All Cells.
  await page.click(".jp-Notebook");
  await page.click("text=Run >> nth=0");
  await page.click("text=Run All Cells");

  // Done when every code cell shows an execution count (no [*] or [ ] left).
  const codeCells = await page.locator(".jp-Notebook .jp-CodeCell").count();
  await page.waitForFunction(
    (expected) => {
      const prompts = [...document.querySelectorAll(".jp-Notebook .jp-CodeCell .jp-InputPrompt")];
      return prompts.length === expected && prompts.every((p) => /\[\d+\]/.test(p.textContent));
    },
    codeCells,
    { timeout: 600_000, polling: 500 },
  );

  const languages = await page.$$eval(".jp-Notebook .jp-CodeCell .cm-content", (editors) =>
    editors.map((e) => e.getAttribute("data-language")));
  const coloured = await page.$$eval(".jp-Notebook .jp-CodeCell .cm-line span", (spans) => spans.length);
  // The kernel's codemirror_mode ("shell") colours the code: comments, strings, numbers.
  if (languages.some((language) => language !== "shell")) {
    fail(`code cells are edited as ${JSON.stringify([...new Set(languages)])}, not "shell"`);
  }
  if (coloured === 0) fail("no code is coloured");
  const errors = await page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").count();
  if (errors > 0) fail(`${errors} cell(s) ended in an error`);

  // The nomogram cell: its source is `nomogram combined`; its output is the drawn nomogram.
  const cell = page.locator(".jp-CodeCell", { hasText: "nomogram combined" }).first();
  const picture = cell.locator(".jp-OutputArea-output img, .jp-OutputArea-output svg").first();
  await picture.scrollIntoViewIfNeeded();
  const box = await picture.boundingBox();
  if (!box || box.width < 300 || box.height < 200) fail(`the nomogram is not shown (box ${JSON.stringify(box)})`);
  // The cell's input and the nomogram under it.
  await cell.scrollIntoViewIfNeeded();
  await picture.scrollIntoViewIfNeeded();
  const top = await cell.boundingBox();
  const bottom = await picture.boundingBox();
  await page.screenshot({
    path: shot,
    clip: {
      x: top.x,
      y: top.y,
      width: Math.max(top.width, bottom.x + bottom.width - top.x) + 8,
      // To the picture's lower edge: the cell's next output (a text) starts right under it.
      height: bottom.y + bottom.height - top.y + 1,
    },
  });
  console.log(
    `jupyterlab check: ${codeCells} code cells ran without error, coloured as shell (${coloured} tokens); nomogram ${Math.round(box.width)}×${Math.round(box.height)} px; screenshot ${shot}`,
  );
} finally {
  await browser.close();
}
