// Runs of the playground, on top of the engine (engine.mjs): the page's
// data, a seeded generator for free play, live runs, the replay of the
// book's reference runs, and the grid of the decision regions.

import {
  diverged, evaluate, forward, makeParams, trainEpoch,
} from "./engine.mjs";

// The playground's own seeded generator (mulberry32): uniform in [0, 1).
export function seededUniform(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A standard normal draw from two uniforms (Box-Muller).
export function normal(uniform) {
  const u = 1 - uniform(); // in (0, 1]: the logarithm stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

// Every weight and bias from N(0, std^2), as the course's std * randn.
export function initParams(nx, nh, ny, std, uniform) {
  const p = makeParams(nx, nh, ny);
  for (const key of ["Wh", "bh", "Wy", "by"]) {
    for (let k = 0; k < p[key].length; k++) p[key][k] = std * normal(uniform);
  }
  return p;
}

// A random order of 0..n-1 (Fisher-Yates).
export function shuffled(n, uniform) {
  const order = Array.from({ length: n }, (_, k) => k);
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(uniform() * (k + 1));
    [order[k], order[j]] = [order[j], order[k]];
  }
  return order;
}

// The data of the page's JSON (points as [x1, x2], labels 0 or 1) as
// row-major matrices with one-hot targets.
export function prepareData(json) {
  const oneHot = (labels) => {
    const Y = new Float64Array(labels.length * 2);
    labels.forEach((c, n) => { Y[n * 2 + c] = 1; });
    return Y;
  };
  return {
    Xtrain: Float64Array.from(json.train.x.flat()), Ytrain: oneHot(json.train.labels),
    Xtest: Float64Array.from(json.test.x.flat()), Ytest: oneHot(json.test.labels),
    nTrain: json.train.labels.length, nTest: json.test.labels.length,
  };
}

// Replay a reference run of the book's build: the same initial parameters
// and the same order of the examples in every epoch as nnintro's training
// loop; returns the train and test loss after every epoch (index 0: start).
export function replay(reference, data) {
  const { nh, eta, batch_size: batchSize, activation } = reference;
  const p = makeParams(2, nh, 2, reference.params);
  const losses = { train: [], test: [] };
  const record = () => {
    const e = evaluate(p, data, activation);
    losses.train.push(e.trainLoss);
    losses.test.push(e.testLoss);
  };
  record();
  for (const order of reference.orders) {
    trainEpoch(p, data, order, batchSize, eta, activation);
    record();
  }
  return losses;
}

// A live run of the playground, from its settings
// {nh, eta, batch, activation, std, seed}: one seeded generator draws the
// initial weights, then the order of every epoch (as nnintro's loop does
// with torch's generator; the numbers differ, the recipe is the same).
export function startRun(settings, data, factor) {
  const uniform = seededUniform(settings.seed);
  const p = initParams(2, settings.nh, 2, settings.std, uniform);
  const run = {
    settings, p, uniform, factor, epoch: 0, diverged: false,
    history: { trainLoss: [], trainAcc: [], testLoss: [], testAcc: [] },
  };
  record(run, data);
  return run;
}

function record(run, data) {
  const e = evaluate(run.p, data, run.settings.activation);
  for (const key of Object.keys(run.history)) run.history[key].push(e[key]);
  return e;
}

// One epoch of a live run; a run that diverges stops there, its last
// entry recorded (as in nnintro's loop).
export function advance(run, data) {
  if (run.diverged) return run;
  const { batch, eta, activation } = run.settings;
  const order = shuffled(data.nTrain, run.uniform);
  trainEpoch(run.p, data, order, batch, eta, activation);
  run.epoch += 1;
  const e = record(run, data);
  run.diverged = diverged(run.p, e.trainLoss, run.history.trainLoss[0], run.factor);
  return run;
}

// P(class 1) at the points of a grid (size x size over [low, high)^2,
// row-major over (x2, x1), as nnintro.circles.make_grid).
export function gridPoints(size, low, high) {
  const X = new Float64Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      X[(r * size + c) * 2] = low + ((high - low) * c) / size;
      X[(r * size + c) * 2 + 1] = low + ((high - low) * r) / size;
    }
  }
  return X;
}

export function gridProbabilities(p, Xgrid, activation) {
  const N = Xgrid.length / 2;
  const { Yhat } = forward(p, Xgrid, N, activation);
  const P = new Float64Array(N);
  for (let n = 0; n < N; n++) P[n] = Yhat[n * 2 + 1];
  return P;
}

// Train a preset {settings, epochs} for its epochs (or until it diverges);
// what it shows: the last losses and accuracies, whether it diverged, and
// how often the predicted class changes along each row and each column of
// the grid (a straight boundary changes it at most once along each), and how
// many cells of class 1 there are, in all and on the grid's border (none on
// the border: the region of class 1 is closed).
export function presetOutcome(preset, page, data) {
  const run = startRun(preset.settings, data, page.divergence_factor);
  while (run.epoch < preset.epochs && !run.diverged) advance(run, data);
  return outcome(run, page.grid);
}

export function outcome(run, grid) {
  const { size, low, high } = grid;
  const P = gridProbabilities(run.p, gridPoints(size, low, high), run.settings.activation);
  const cls = (r, c) => (P[r * size + c] > 0.5 ? 1 : 0);
  let rowChanges = 0;
  let columnChanges = 0;
  for (let a = 0; a < size; a++) {
    let row = 0;
    let column = 0;
    for (let b = 1; b < size; b++) {
      if (cls(a, b) !== cls(a, b - 1)) row += 1;
      if (cls(b, a) !== cls(b - 1, a)) column += 1;
    }
    rowChanges = Math.max(rowChanges, row);
    columnChanges = Math.max(columnChanges, column);
  }
  const last = (key) => run.history[key][run.history[key].length - 1];
  return {
    epoch: run.epoch, diverged: run.diverged,
    trainLoss: last("trainLoss"), testLoss: last("testLoss"),
    trainAcc: last("trainAcc"), testAcc: last("testAcc"),
    maxRowChanges: rowChanges, maxColumnChanges: columnChanges,
    classOneCells: Array.from(P).filter((q) => q > 0.5).length,
    classOneOnBorder: borderCells(size).filter((n) => P[n] > 0.5).length,
  };
}

// The row-major indices of the cells on the border of a size x size grid.
function borderCells(size) {
  const cells = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (r === 0 || c === 0 || r === size - 1 || c === size - 1) {
        cells.push(r * size + c);
      }
    }
  }
  return cells;
}
