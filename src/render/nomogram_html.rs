//! A nomogram to use, not only to read: one self-contained HTML file (inline SVG and script,
//! nothing fetched) with a control per predictor — a slider for a number, a list for a level —
//! that moves its point on the predictor's axis, the total points and the predicted risk with
//! its 95% interval (from the model's covariance on the logit scale). Each axis carries the
//! distribution of the fitting patients' values above it, as regplot draws them; a patient can
//! be drawn on it. The arithmetic is `predict`'s: points = (β·x − min β·x) · points per unit,
//! linear predictor = total / points per unit + intercept at zero.

use serde::Serialize;

/// Everything the page needs, embedded as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct InteractiveNomogram {
    pub title: String,
    /// "risk of aln = 1"
    pub risk_label: String,
    pub points_per_unit: f64,
    pub intercept_at_zero: f64,
    pub predictors: Vec<Predictor>,
    /// Total-points axis ticks and (risk, total points) ticks of the risk axis.
    pub total_ticks: Vec<f64>,
    pub risk_ticks: Vec<(f64, f64)>,
    /// The model's estimable coefficients: which predictor (none: the intercept) and level each
    /// multiplies, and their covariance in the same order.
    pub coefficients: Vec<Slot>,
    pub covariance: Vec<Vec<f64>>,
    /// A patient drawn on the nomogram: id and one value per predictor (a number or a level).
    pub patient: Option<(String, Vec<String>)>,
}

/// One predictor's axis and control.
#[derive(Debug, Clone, Serialize)]
pub struct Predictor {
    pub name: String,
    pub minimum_contribution: f64,
    #[serde(flatten)]
    pub kind: PredictorKind,
    /// Axis ticks: label and points.
    pub ticks: Vec<(String, f64)>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PredictorKind {
    /// A slider from `low` to `high` in `step`s, starting at `start`; the fitting patients'
    /// values as a histogram: (from, to, share).
    Numeric {
        coefficient: f64,
        low: f64,
        high: f64,
        step: f64,
        start: f64,
        histogram: Vec<(f64, f64, f64)>,
    },
    /// A list of levels with their contributions β and the share of patients at each.
    Categorical { levels: Vec<(String, f64, f64)> },
}

/// Where a coefficient's design value comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Slot {
    pub predictor: Option<usize>,
    pub level: Option<String>,
}

/// The page.
pub fn page(nomogram: &InteractiveNomogram) -> String {
    // `</` cannot end the script element early once escaped.
    let data = serde_json::to_string(nomogram)
        .unwrap_or_else(|_| "null".to_string())
        .replace("</", "<\\/");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"radnomo {version}\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p class=\"note\">Move the controls: each predictor's point, the total points and the predicted {risk} follow. Grey bars above an axis: the fitting patients' values. radnomo {version}.</p>\n<div id=\"controls\"></div>\n<div id=\"result\" aria-live=\"polite\"></div>\n<svg id=\"nomogram\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"></svg>\n<script type=\"application/json\" id=\"nomogram-data\">{data}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        title = super::html::escape(&nomogram.title),
        risk = super::html::escape(&nomogram.risk_label),
        version = env!("CARGO_PKG_VERSION"),
    )
}

const STYLE: &str = "body { font-family: 'DejaVu Sans', Arial, sans-serif; max-width: 62em; margin: 1.5em auto; padding: 0 1em; color: #1a1a1a; }
h1 { font-size: 1.4em; }
.note { color: #555; }
#controls { display: grid; grid-template-columns: max-content 1fr max-content; gap: .35em .8em; align-items: center; margin: 1em 0; }
#controls label { font-weight: bold; }
#controls select { justify-self: start; min-width: 8em; }
#controls output { font-variant-numeric: tabular-nums; min-width: 5em; }
#result { font-size: 1.15em; margin: .6em 0 1em; padding: .5em .8em; background: #eef5fb; border-left: 4px solid #0072b2; }
svg text { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 11px; fill: #222; }
svg .axis { stroke: #222; stroke-width: 1; }
svg .tick { stroke: #222; }
svg .bar { fill: #bbb; }
svg .marker { fill: #d55e00; stroke: #fff; stroke-width: 1.5; }
svg .patient { fill: none; stroke: #009e73; stroke-width: 2; }
svg .name { font-weight: bold; }
";

/// Draws the axes, builds the controls and keeps the result in step with them.
const SCRIPT: &str = r#"'use strict';
const model = JSON.parse(document.getElementById('nomogram-data').textContent);
const NS = 'http://www.w3.org/2000/svg';
const left = 150, width = 560, rowHeight = 58;
const maxPoints = 100;
const totalMax = model.total_ticks[model.total_ticks.length - 1];
const svg = document.getElementById('nomogram');
const rows = model.predictors.length + 3;
svg.setAttribute('viewBox', `0 0 ${left + width + 40} ${rows * rowHeight + 20}`);
svg.setAttribute('width', left + width + 40);
const element = (name, attributes, parent = svg) => {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  parent.appendChild(e);
  return e;
};
const text = (content, x, y, anchor = 'middle', cls = '') => {
  const t = element('text', { x, y, 'text-anchor': anchor, class: cls });
  t.textContent = content;
  return t;
};
const px = (points) => left + (points / maxPoints) * width;
const totalPx = (total) => left + (total / totalMax) * width;
// Tick labels never overlap: one that would moves to a second row; if that is taken too it is
// left out (the tick stays).
const axis = (y, ticks, place, name) => {
  text(name, left - 12, y + 4, 'end', 'name');
  const xs = ticks.map(([, at]) => place(at));
  element('line', { x1: Math.min(...xs), x2: Math.max(...xs), y1: y, y2: y, class: 'axis' });
  const ends = [-Infinity, -Infinity];
  for (const [label, at] of [...ticks].sort((a, b) => place(a[1]) - place(b[1]))) {
    const x = place(at), half = 3.3 * label.length + 2;
    element('line', { x1: x, x2: x, y1: y, y2: y + 5, class: 'tick' });
    const row = [0, 1].find((r) => x - half > ends[r]);
    if (row === undefined) continue;
    ends[row] = x + half;
    text(label, x, y + 17 + 12 * row);
  }
};
// Points scale on top.
const pointTicks = [];
for (let p = 0; p <= 100; p += 10) pointTicks.push([String(p), p]);
axis(30, pointTicks, px, 'Points');
// One row per predictor: its distribution, axis and marker.
const contribution = (predictor, value) => predictor.kind === 'numeric'
  ? predictor.coefficient * value
  : predictor.levels.find(([level]) => level === value)[1];
const pointsOf = (predictor, value) =>
  (contribution(predictor, value) - predictor.minimum_contribution) * model.points_per_unit;
const markers = model.predictors.map((predictor, i) => {
  const y = 30 + (i + 1) * rowHeight;
  if (predictor.kind === 'numeric') {
    const top = Math.max(...predictor.histogram.map(([, , share]) => share), 1e-9);
    for (const [from, to, share] of predictor.histogram) {
      const a = px(pointsOf(predictor, from)), b = px(pointsOf(predictor, to));
      const h = 26 * share / top;
      // A bar per distinct value (from = to) is 10 pixels wide, centred on it.
      const [x, w] = from === to ? [a - 5, 10] : [Math.min(a, b), Math.max(Math.abs(b - a) - 1, 0.5)];
      element('rect', { x, y: y - 4 - h, width: w, height: h, class: 'bar' });
    }
  } else {
    const top = Math.max(...predictor.levels.map(([, , share]) => share), 1e-9);
    for (const [level, , share] of predictor.levels) {
      const x = px(pointsOf(predictor, level));
      const h = 26 * share / top;
      element('rect', { x: x - 5, y: y - 4 - h, width: 10, height: h, class: 'bar' });
    }
  }
  axis(y, predictor.ticks, px, predictor.name);
  return element('circle', { cx: px(0), cy: y, r: 6, class: 'marker' });
});
const totalY = 30 + (model.predictors.length + 1) * rowHeight;
axis(totalY, model.total_ticks.map((t) => [String(t), t]), totalPx, 'Total points');
const riskY = totalY + rowHeight;
axis(riskY, model.risk_ticks.map(([r, at]) => [String(Number(r.toPrecision(3))), at]), totalPx, model.risk_label);
const totalMarker = element('circle', { cx: totalPx(0), cy: totalY, r: 6, class: 'marker' });
const riskMarker = element('circle', { cx: totalPx(0), cy: riskY, r: 6, class: 'marker' });
const patientMarkers = [];
// Controls.
const controls = document.getElementById('controls');
const inputs = model.predictors.map((predictor, i) => {
  const label = document.createElement('label');
  label.textContent = predictor.name;
  const id = `predictor-${i}`;
  label.htmlFor = id;
  let input, control;
  if (predictor.kind === 'numeric') {
    // A slider to explore and a box for an exact value, kept in step.
    const slider = document.createElement('input');
    Object.assign(slider, { type: 'range', min: predictor.low, max: predictor.high, step: predictor.step, value: predictor.start });
    input = document.createElement('input');
    Object.assign(input, { type: 'number', step: 'any', value: predictor.start });
    slider.addEventListener('input', () => { input.value = slider.value; update(); });
    input.addEventListener('input', () => { slider.value = input.value; update(); });
    control = document.createElement('span');
    control.append(slider, ' ', input);
  } else {
    input = document.createElement('select');
    for (const [level] of predictor.levels) input.add(new Option(level, level));
    input.addEventListener('input', update);
    control = input;
  }
  input.id = id;
  input.dataset.predictor = predictor.name;
  const shown = document.createElement('output');
  shown.htmlFor = id;
  controls.append(label, control, shown);
  return { input, shown };
});
const valueOf = (i) => {
  const predictor = model.predictors[i];
  const raw = inputs[i].input.value;
  return predictor.kind === 'numeric' ? Number(raw) : raw;
};
const logistic = (eta) => 1 / (1 + Math.exp(-eta));
function update() {
  let total = 0;
  model.predictors.forEach((predictor, i) => {
    const value = valueOf(i);
    const points = pointsOf(predictor, value);
    total += points;
    markers[i].setAttribute('cx', px(points));
    inputs[i].shown.textContent = `${value} → ${points.toFixed(1)} pts`;
  });
  const eta = total / model.points_per_unit + model.intercept_at_zero;
  // Var(η) = xᵀ V x over the model's coefficients.
  const x = model.coefficients.map((slot) => {
    if (slot.predictor === null) return 1;
    const predictor = model.predictors[slot.predictor];
    const value = valueOf(slot.predictor);
    if (predictor.kind === 'numeric') return value;
    return value === slot.level ? 1 : 0;
  });
  let variance = 0;
  x.forEach((a, i) => x.forEach((b, j) => { variance += a * model.covariance[i][j] * b; }));
  const se = Math.sqrt(Math.max(variance, 0));
  const risk = logistic(eta), low = logistic(eta - 1.959963984540054 * se), high = logistic(eta + 1.959963984540054 * se);
  totalMarker.setAttribute('cx', totalPx(total));
  riskMarker.setAttribute('cx', totalPx(total));
  const result = document.getElementById('result');
  result.dataset.total = String(total);
  result.dataset.linearPredictor = String(eta);
  result.dataset.risk = String(risk);
  result.dataset.low = String(low);
  result.dataset.high = String(high);
  result.textContent = `Total ${total.toFixed(1)} points · predicted ${model.risk_label}: ${(100 * risk).toFixed(1)}% (95% CI ${(100 * low).toFixed(1)}–${(100 * high).toFixed(1)}%)`;
}
if (model.patient) {
  const [id, values] = model.patient;
  values.forEach((value, i) => {
    inputs[i].input.value = value;
    inputs[i].input.dispatchEvent(new Event('input'));
    const y = 30 + (i + 1) * rowHeight;
    const v = model.predictors[i].kind === 'numeric' ? Number(value) : value;
    element('circle', { cx: px(pointsOf(model.predictors[i], v)), cy: y, r: 9, class: 'patient' });
  });
  text(`patient ${id} (green circles)`, left + width, 12, 'end');
}
update();
"#;
