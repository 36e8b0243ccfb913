// The course's network in JavaScript: 2 inputs, nh hidden units, 2 SoftMax
// outputs, mean cross-entropy, plain SGD, in float64 (JS numbers).
//
// Written after the book's equations, in the batch (row) form; each comment
// names the equation it computes, with its number in the book and its label:
// (2.6) fwd-batch, (2.2) softmax, (5.1) q14-simplified, (5.4) q15-batch,
// (5.7) q16-batch, (5.12) q17-batch, (5.8) tanh-derivative, (4.1) gd-update.
// Matrices are Float64Array in row-major order: M[r * columns + c].
// No DOM here: the page (playground.mjs) and Node (the book's build) both
// import this file.

// Hidden activations: act(t), and its derivative written with its output
// h = act(t), as eq. (5.8) tanh-derivative writes tanh' = 1 - h^2.
export const ACTIVATIONS = {
  tanh: { act: (t) => Math.tanh(t), slope: (h) => 1 - h * h },
  relu: { act: (t) => (t > 0 ? t : 0), slope: (h) => (h > 0 ? 1 : 0) },
  sigmoid: { act: (t) => 1 / (1 + Math.exp(-t)), slope: (h) => h * (1 - h) },
  none: { act: (t) => t, slope: () => 1 },
};

// A network's parameters, with the shapes of the column form:
// Wh nh x nx, bh nh, Wy ny x nh, by ny.
export function makeParams(nx, nh, ny, values = {}) {
  const p = { nx, nh, ny };
  const sizes = { Wh: nh * nx, bh: nh, Wy: ny * nh, by: ny };
  for (const [key, size] of Object.entries(sizes)) {
    p[key] = new Float64Array(size);
    if (values[key]) {
      const flat = values[key].flat();
      if (flat.length !== size) {
        throw new Error(`${key} has ${flat.length} entries, expected ${size}`);
      }
      p[key].set(flat);
    }
  }
  return p;
}

// Forward pass of N rows of X (N x nx), eq. (2.6) fwd-batch:
// Htilde = X Wh^T + 1 bh^T, H = act(Htilde), Ytilde = H Wy^T + 1 by^T,
// Yhat = SoftMax of each row of Ytilde, eq. (2.2) softmax.
export function forward(p, X, N, activation) {
  const { nx, nh, ny } = p;
  const act = ACTIVATIONS[activation].act;
  const H = new Float64Array(N * nh);
  const Ytilde = new Float64Array(N * ny);
  const Yhat = new Float64Array(N * ny);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < nh; j++) {
      let s = 0;
      for (let k = 0; k < nx; k++) s += X[n * nx + k] * p.Wh[j * nx + k];
      H[n * nh + j] = act(s + p.bh[j]);
    }
    let largest = -Infinity;
    for (let i = 0; i < ny; i++) {
      let s = 0;
      for (let j = 0; j < nh; j++) s += H[n * nh + j] * p.Wy[i * nh + j];
      Ytilde[n * ny + i] = s + p.by[i];
      largest = Math.max(largest, Ytilde[n * ny + i]);
    }
    // SoftMax does not change when the row maximum is subtracted first
    let total = 0;
    for (let i = 0; i < ny; i++) {
      Yhat[n * ny + i] = Math.exp(Ytilde[n * ny + i] - largest);
      total += Yhat[n * ny + i];
    }
    for (let i = 0; i < ny; i++) Yhat[n * ny + i] /= total;
  }
  return { X, H, Ytilde, Yhat, N };
}

// Mean loss and accuracy of one-hot Y (N x ny): the loss of each row in the
// simplified form of eq. (5.1) q14-simplified,
// l = -sum_i y_i ytilde_i + log sum_j exp(ytilde_j), exact for large logits
// (the log-sum-exp is taken around the row maximum).
export function lossAccuracy(outputs, Y, ny) {
  const { Ytilde, Yhat, N } = outputs;
  let loss = 0;
  let hits = 0;
  for (let n = 0; n < N; n++) {
    let largest = -Infinity;
    let best = 0;
    let target = 0;
    for (let i = 0; i < ny; i++) {
      largest = Math.max(largest, Ytilde[n * ny + i]);
      if (Yhat[n * ny + i] > Yhat[n * ny + best]) best = i;
      if (Y[n * ny + i] > Y[n * ny + target]) target = i;
    }
    let sum = 0;
    let yDotYtilde = 0;
    for (let i = 0; i < ny; i++) {
      sum += Math.exp(Ytilde[n * ny + i] - largest);
      yDotYtilde += Y[n * ny + i] * Ytilde[n * ny + i];
    }
    loss += largest + Math.log(sum) - yDotYtilde;
    if (best === target) hits += 1;
  }
  return { loss: loss / N, accuracy: hits / N };
}

// Gradients of the mean loss over the N rows, a chain-rule step a line.
export function backward(p, outputs, Y, activation) {
  const { nx, nh, ny } = p;
  const { X, H, Yhat, N } = outputs;
  const slope = ACTIVATIONS[activation].slope;
  const g = makeParams(nx, nh, ny);
  // Delta_y = (Yhat - Y) / N, N x ny: eq. (5.4) q15-batch
  const Dy = new Float64Array(N * ny);
  for (let k = 0; k < N * ny; k++) Dy[k] = (Yhat[k] - Y[k]) / N;
  // dL/dWy = Delta_y^T H, dL/dby = Delta_y^T 1: eq. (5.7) q16-batch
  for (let i = 0; i < ny; i++) {
    for (let n = 0; n < N; n++) {
      const d = Dy[n * ny + i];
      for (let j = 0; j < nh; j++) g.Wy[i * nh + j] += d * H[n * nh + j];
      g.by[i] += d;
    }
  }
  // Delta_h = (Delta_y Wy) . act'(Htilde), N x nh: eq. (5.12) q17-batch,
  // with tanh' = 1 - H . H, eq. (5.8) tanh-derivative, for tanh
  const Dh = new Float64Array(N * nh);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < nh; j++) {
      let s = 0;
      for (let i = 0; i < ny; i++) s += Dy[n * ny + i] * p.Wy[i * nh + j];
      Dh[n * nh + j] = s * slope(H[n * nh + j]);
    }
  }
  // dL/dWh = Delta_h^T X, dL/dbh = Delta_h^T 1: eq. (5.12) q17-batch
  for (let j = 0; j < nh; j++) {
    for (let n = 0; n < N; n++) {
      const d = Dh[n * nh + j];
      for (let k = 0; k < nx; k++) g.Wh[j * nx + k] += d * X[n * nx + k];
      g.bh[j] += d;
    }
  }
  return g;
}

// One step theta <- theta - eta dL/dtheta for each parameter: (4.1) gd-update
export function sgd(p, g, eta) {
  for (const key of ["Wh", "bh", "Wy", "by"]) {
    for (let k = 0; k < p[key].length; k++) p[key][k] -= eta * g[key][k];
  }
}

// The rows `rows` of a row-major matrix with `columns` columns.
export function takeRows(M, columns, rows) {
  const out = new Float64Array(rows.length * columns);
  rows.forEach((r, n) => out.set(M.subarray(r * columns, (r + 1) * columns), n * columns));
  return out;
}

// One epoch of mini-batch SGD: the examples in `order`, cut into
// consecutive batches of `batchSize` (the last one may be smaller).
export function trainEpoch(p, data, order, batchSize, eta, activation) {
  const { nx, ny } = p;
  for (let start = 0; start < order.length; start += batchSize) {
    const rows = order.slice(start, start + batchSize);
    const X = takeRows(data.Xtrain, nx, rows);
    const Y = takeRows(data.Ytrain, ny, rows);
    const outputs = forward(p, X, rows.length, activation);
    sgd(p, backward(p, outputs, Y, activation), eta);
  }
}

// Loss and accuracy on the training and the test set.
export function evaluate(p, data, activation) {
  const train = lossAccuracy(
    forward(p, data.Xtrain, data.nTrain, activation), data.Ytrain, p.ny);
  const test = lossAccuracy(
    forward(p, data.Xtest, data.nTest, activation), data.Ytest, p.ny);
  return { trainLoss: train.loss, trainAcc: train.accuracy,
           testLoss: test.loss, testAcc: test.accuracy };
}

export function paramsFinite(p) {
  return ["Wh", "bh", "Wy", "by"].every((key) => p[key].every(Number.isFinite));
}

// The rule of nnintro's training loop: diverged when the parameters are not
// finite, or the training loss is not finite or above factor x its start.
export function diverged(p, loss, initialLoss, factor) {
  return !paramsFinite(p) || !Number.isFinite(loss) || loss > factor * initialLoss;
}
