// The playground's page: controls, the training loop of the page, the
// settings in the address (?nh=10&eta=5&batch=10&run=50, or after a #), and the replay of
// the book's reference runs. The numbers come from engine.mjs and runs.mjs.

import { drawCurves, drawRegions } from "./draw.mjs";
import {
  advance, gridPoints, gridProbabilities, outcome, prepareData, replay, startRun,
} from "./runs.mjs";

const ETAS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20];
const BATCHES = [1, 10, 50, 200];
const NAMES = { tanh: "tanh", relu: "ReLU", sigmoid: "sigmoid", none: "none" };
const SPEEDS = { 10: "10", 100: "100", 0: "as fast as it can" };
const LIMIT = 5000; // epochs
const DEFAULTS = { nh: 10, eta: 0.1, batch: 10, act: "tanh", std: 0.3, seed: 0 };
const RULES = {
  nh: (v) => Number.isInteger(v) && v >= 1 && v <= 50 || "an integer from 1 to 50",
  eta: (v) => v >= 0.001 && v <= 20 || "a number from 0.001 to 20",
  batch: (v) => BATCHES.includes(v) || `one of ${BATCHES.join(", ")}`,
  act: (v) => v in NAMES || `one of ${Object.keys(NAMES).join(", ")}`,
  std: (v) => v > 0 && v <= 3 || "a number above 0, at most 3",
  seed: (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32 || "an integer from 0",
  run: (v) => Number.isInteger(v) && v >= 0 && v <= LIMIT || `an integer from 0 to ${LIMIT}`,
};

const options = (pairs) =>
  Object.entries(pairs).map(([v, t]) => `<option value="${v}">${t}</option>`).join("");

const TEMPLATE = `
<form class="pg-controls" aria-label="Settings of the network and its training">
  <label><span>Hidden units n<sub>h</sub></span> <input id="pg-nh" type="number" min="1" max="50" step="1"></label>
  <label><span>Learning rate η</span> <span class="pg-eta"><input id="pg-eta" type="range" min="0"
    max="${ETAS.length - 1}" step="1"><output id="pg-eta-value" for="pg-eta"></output></span></label>
  <label><span>Batch size B</span> <select id="pg-batch">${options({ 1: "1 (online)", 10: "10", 50: "50",
    200: "200 (full batch)" })}</select></label>
  <label><span>Hidden activation</span> <select id="pg-act">${options(NAMES)}</select></label>
  <label><span>Std of initial weights</span> <input id="pg-std" type="number" min="0.01" max="3" step="0.05"></label>
  <label><span>Seed</span> <input id="pg-seed" type="number" min="0" step="1"></label>
  <label><span>Epochs per second</span> <select id="pg-speed">${options(SPEEDS)}</select></label>
</form>
<div class="pg-buttons">
  <button type="button" id="pg-play">Play</button>
  <button type="button" id="pg-step">One epoch</button>
  <button type="button" id="pg-reset">Reset</button>
</div>
<p class="pg-status" id="pg-status" role="status"></p>
<p class="pg-readout" id="pg-readout"></p>
<div class="pg-figures">
  <figure><canvas id="pg-regions" class="pg-square" role="img"></canvas>
    <figcaption>Decision regions on the 40 × 40 grid over [−2, 2)²: blue, the disc's class;
    orange, the ring's; pale where the network hesitates; black line: the boundary between
    them. Filled dots: training points; rings: test points.</figcaption></figure>
  <figure><canvas id="pg-loss" class="pg-curve" role="img"></canvas>
    <figcaption>Mean cross-entropy per epoch: training (solid), test (dashed).</figcaption></figure>
  <figure><canvas id="pg-acc" class="pg-curve" role="img"></canvas>
    <figcaption>Accuracy per epoch: training (solid), test (dashed).</figcaption></figure>
</div>
<div class="pg-verify">
  <button type="button" id="pg-verify">Replay the book's reference runs in this browser</button>
  <div id="pg-verify-result" aria-live="polite"></div>
</div>`;

const root = document.getElementById("playground");
const page = JSON.parse(document.getElementById("playground-data").textContent);
const data = prepareData(page);
const grid = gridPoints(page.grid.size, page.grid.low, page.grid.high);
root.innerHTML = TEMPLATE;
const $ = (id) => document.getElementById(`pg-${id}`);
let settings = { ...DEFAULTS };
let run = null;
let playing = false;
let target = null; // the epoch at which to pause, from the address
let last = 0;
let owed = 0; // epochs due at the chosen speed, not yet run
let budget = 12; // ms of training per frame, at the fastest speed

function status(text) { $("status").textContent = text; }

function engineSettings() {
  const s = settings;
  return { nh: s.nh, eta: s.eta, batch: s.batch, activation: s.act, std: s.std, seed: s.seed };
}

function showSettings() {
  $("nh").value = settings.nh;
  const nearest = ETAS.reduce((best, e, k) =>
    Math.abs(Math.log(e / settings.eta)) < Math.abs(Math.log(ETAS[best] / settings.eta)) ? k : best, 0);
  $("eta").value = nearest;
  $("eta").setAttribute("aria-valuetext", `${settings.eta}`);
  $("eta-value").textContent = `${settings.eta}`;
  $("batch").value = settings.batch;
  $("act").value = settings.act;
  $("std").value = settings.std;
  $("seed").value = settings.seed;
}

function writeAddress() {
  const changed = Object.entries(settings).filter(([k, v]) => DEFAULTS[k] !== v);
  const query = changed.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
}

// Settings from the address; a bad value is named and the default kept.
function readAddress() {
  const wanted = new URLSearchParams(location.hash.slice(1) || location.search);
  const next = { ...DEFAULTS };
  const problems = [];
  let epochs = null;
  for (const [key, raw] of wanted) {
    if (!(key in RULES)) { problems.push(`“${key}” is not a setting`); continue; }
    const value = key === "act" ? raw : Number(raw);
    const verdict = RULES[key](value);
    if (verdict !== true) { problems.push(`${key} must be ${verdict}, not “${raw}”`); continue; }
    if (key === "run") epochs = value; else next[key] = value;
  }
  settings = next;
  showSettings();
  reset();
  if (problems.length) status(`The link's settings were not all used: ${problems.join("; ")}.`);
  if (epochs) { target = epochs; play(true); }
}

function reset() {
  play(false);
  target = null;
  run = startRun(engineSettings(), data, page.divergence_factor);
  status("Ready: press Play, or One epoch.");
  draw();
}

function play(on) {
  const was = playing;
  playing = on && !run.diverged && run.epoch < LIMIT;
  if (was && !playing) status(`Paused after epoch ${run.epoch}.`);
  $("play").textContent = playing ? "Pause" : "Play";
  if (playing) { last = performance.now(); owed = 0; status("Training…"); requestAnimationFrame(frame); }
}

function epoch() {
  run.settings.eta = settings.eta; // the learning rate and the batch size
  run.settings.batch = settings.batch; // apply from the next epoch on
  advance(run, data);
  if (run.diverged) {
    play(false);
    const losses = run.history.trainLoss;
    const L = losses[losses.length - 1];
    const why = Number.isFinite(L) && run.p.Wh.every(Number.isFinite)
      ? `the training loss rose to ${L.toPrecision(4)}, more than ${page.divergence_factor}` +
        ` times its start (${losses[0].toPrecision(4)})`
      : "the loss or the weights stopped being finite numbers";
    status(`Training diverged at epoch ${run.epoch}: ${why}. The curves stop there;` +
      ` press Reset, and try a smaller learning rate.`);
  } else if (run.epoch >= LIMIT) {
    play(false);
    status(`Stopped after ${LIMIT} epochs, the playground's limit.`);
  } else if (target !== null && run.epoch >= target) {
    play(false);
    target = null;
    status(`Paused after epoch ${run.epoch}, as the link asked; press Play to continue.`);
  }
}

function frame(now) {
  if (!playing) return;
  const speed = Number($("speed").value);
  if (speed > 0) {
    owed += (speed * (now - last)) / 1000;
    for (; owed >= 1 && playing; owed -= 1) epoch();
  } else {
    // as many epochs as fit in `budget` ms; the budget shrinks when frames
    // come slower than 40 ms apart, so the regions are redrawn 20+ times a
    // second even on a busy machine
    budget = Math.min(12, Math.max(2, budget + (now - last > 40 ? -1 : 0.5)));
    const start = performance.now();
    while (playing && performance.now() - start < budget) epoch();
  }
  last = now;
  draw();
  if (playing) requestAnimationFrame(frame);
}

function draw() {
  const { size, low, high } = page.grid;
  const P = gridProbabilities(run.p, grid, run.settings.activation);
  drawRegions($("regions"), P, size, low, high, data);
  const h = run.history;
  drawCurves($("loss"), [{ values: h.trainLoss, which: "train" },
    { values: h.testLoss, which: "test", dashed: true }], null, "epoch");
  drawCurves($("acc"), [{ values: h.trainAcc, which: "train" },
    { values: h.testAcc, which: "test", dashed: true }], 1, "epoch");
  const k = h.trainLoss.length - 1;
  const shown = (v, digits) => (Number.isFinite(v) ? v.toFixed(digits) : "not a number");
  const text = `Epoch ${run.epoch}: training loss ${shown(h.trainLoss[k], 4)}, ` +
    `test loss ${shown(h.testLoss[k], 4)}; accuracy ${shown(100 * h.trainAcc[k], 1)} % (training), ` +
    `${shown(100 * h.testAcc[k], 1)} % (test).`;
  $("readout").textContent = text;
  $("regions").setAttribute("aria-label", `Decision regions after epoch ${run.epoch}.`);
  $("loss").setAttribute("aria-label", `Loss curves up to epoch ${run.epoch}. ${text}`);
  $("acc").setAttribute("aria-label", `Accuracy curves up to epoch ${run.epoch}. ${text}`);
  draws += 1;
}
let draws = 0;

// The reference runs of the page's JSON, replayed by the same engine.
function verify() {
  const rows = page.references.map((reference) => {
    const losses = replay(reference, data);
    const engine = losses.train.concat(losses.test);
    const book = reference.train_loss.concat(reference.test_loss);
    const gap = Math.max(...engine.map((v, k) => Math.abs(v - book[k]) / Math.abs(book[k])));
    return { name: reference.name, epochs: reference.orders.length, gap };
  });
  const worst = Math.max(...rows.map((r) => r.gap));
  $("verify-result").innerHTML =
    `<table><caption>Largest relative difference between this browser's loss and the ` +
    `package's, over every epoch</caption><thead><tr><th scope="col">configuration</th>` +
    `<th scope="col">epochs</th><th scope="col">difference</th></tr></thead><tbody>` +
    rows.map((r) => `<tr><td>${r.name}</td><td>${r.epochs}</td><td>${r.gap.toExponential(1)}</td></tr>`).join("") +
    `</tbody></table><p>${worst <= 1e-9 ? "Every" : "Not every"} loss agrees to 1e-9 relative.</p>`;
  return rows;
}

function changed(key, value, restart) {
  settings[key] = value;
  showSettings();
  writeAddress();
  if (restart) reset();
}

const number = (id, key, integer) => $(id).addEventListener("change", () => {
  const value = Number($(id).value);
  const verdict = RULES[key](integer ? Math.round(value) : value);
  if (verdict !== true) { status(`${key} must be ${verdict}.`); showSettings(); return; }
  changed(key, integer ? Math.round(value) : value, true);
});
number("nh", "nh", true);
number("std", "std", false);
number("seed", "seed", true);
$("eta").addEventListener("input", () => changed("eta", ETAS[Number($("eta").value)], false));
$("batch").addEventListener("change", () => changed("batch", Number($("batch").value), false));
$("act").addEventListener("change", () => changed("act", $("act").value, true));
$("speed").value = "100";
$("play").addEventListener("click", () => {
  if (run.diverged) status("This run diverged: press Reset to start a new one.");
  else play(!playing);
});
$("step").addEventListener("click", () => { play(false); if (!run.diverged) epoch(); draw(); });
$("reset").addEventListener("click", () => { reset(); });
$("verify").addEventListener("click", verify);
window.addEventListener("hashchange", readAddress);
window.addEventListener("resize", () => draw());
new MutationObserver(() => draw()).observe(document.documentElement,
  { attributes: true, attributeFilter: ["data-theme"] });
readAddress();

// For the browser tests and the benchmark: the state, read only.
window.nnintroPlayground = {
  state: () => ({ epoch: run.epoch, diverged: run.diverged, playing, draws,
    history: run.history, settings: { ...settings }, status: $("status").textContent,
    outcome: outcome(run, page.grid) }),
  verify,
};
