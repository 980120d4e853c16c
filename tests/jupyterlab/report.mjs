// Opens a report radnomo wrote (REPORT, a file path) in headless Chromium and checks that it
// reads as a paper: its sections in order, every figure drawn at a readable size with a numbered
// caption, tables numbered, no backtick left in the text a reader sees, warnings labelled; then
// screenshots its first screen to SCREENSHOT.
// Run by tests/jupyterlab/run.sh.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

function fail(message) {
  console.error(`report check: ${message}`);
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const requests = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
  await page.goto(pathToFileURL(process.env.REPORT).href);
  const found = await page.evaluate(() => {
    const text = (e) => e.textContent.trim();
    const visible = [...document.querySelectorAll("body *:not(pre):not(code):not(style)")]
      .flatMap((e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent))
      .join(" ");
    return {
      sections: [...document.querySelectorAll("h2")].map(text),
      figures: [...document.querySelectorAll("figure")].map((f) => {
        const box = f.querySelector("svg")?.getBoundingClientRect();
        return { caption: text(f.querySelector("figcaption")), width: box?.width ?? 0, height: box?.height ?? 0 };
      }),
      captions: [...document.querySelectorAll("caption")].map(text),
      backticks: visible.includes("`"),
      warnings: [...document.querySelectorAll("p.warning")].map(text),
    };
  });
  const expected = ["Summary", "Methods", "Results", "Rigor check", "References", "Appendix: the session"];
  if (JSON.stringify(found.sections) !== JSON.stringify(expected)) {
    fail(`sections ${JSON.stringify(found.sections)}`);
  }
  if (found.figures.length < 4) fail(`${found.figures.length} figures`);
  found.figures.forEach((f, i) => {
    if (!f.caption.startsWith(`Figure ${i + 1}. `)) fail(`figure ${i + 1} captioned "${f.caption}"`);
    if (f.width < 400 || f.height < 300) fail(`figure ${i + 1} drawn ${f.width} × ${f.height}`);
  });
  const numbered = found.captions.filter((c) => /^Table \d+\. /.test(c));
  if (numbered.length < 5) fail(`${numbered.length} numbered tables`);
  numbered.forEach((c, i) => { if (!c.startsWith(`Table ${i + 1}. `)) fail(`table ${i + 1}: "${c}"`); });
  if (found.backticks) fail("a backtick is left in the visible text");
  if (!found.warnings.every((w) => w.startsWith("Warning: "))) fail("a warning without its label");
  if (requests.length) fail(`the page fetched ${requests.join(", ")}`);
  await page.screenshot({ path: process.env.SCREENSHOT });
  console.log(`report check: ${found.figures.length} figures, ${numbered.length} tables, ${found.warnings.length} warnings labelled`);
} finally {
  await browser.close();
}
