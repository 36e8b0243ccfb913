// The playground's pictures: the decision regions with the points, and the
// curves of loss and accuracy per epoch. Plain canvas; only finite values
// are ever drawn.

const RING = [204, 85, 0]; // class 0, the outer ring (orange)
const DISC = [0, 84, 166]; // class 1, the inner disc (blue)

// A canvas sized to its box on the screen, sharp on any pixel density.
export function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { context, width: canvas.clientWidth, height: canvas.clientHeight };
}

function themeColours() {
  const dark = document.documentElement.dataset.theme === "dark";
  return dark
    ? { text: "#e6e6e6", grid: "#555", train: "#7ab8ff", test: "#ffb36b" }
    : { text: "#222", grid: "#ccc", train: "#0b5cad", test: "#b34d00" };
}

let small = null; // the grid at one pixel a cell, scaled up when drawn

// P(class 1) on the size x size grid (rows: x2 from the bottom), shaded from
// the ring's colour (P = 0) to the disc's (P = 1), pale near P = 1/2.
export function drawRegions(canvas, P, size, low, high, data) {
  const { context, width, height } = fit(canvas);
  const cells = new ImageData(size, size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const p = P[r * size + c];
      const colour = p > 0.5 ? DISC : RING;
      const strength = 0.12 + 0.45 * Math.abs(2 * p - 1);
      const k = ((size - 1 - r) * size + c) * 4;
      for (let i = 0; i < 3; i++) {
        cells.data[k + i] = Math.round(255 + strength * (colour[i] - 255));
      }
      cells.data[k + 3] = 255;
    }
  }
  if (!small || small.width !== size) {
    small = document.createElement("canvas");
    small.width = size;
    small.height = size;
  }
  small.getContext("2d").putImageData(cells, 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(small, 0, 0, width, height);
  const x = (v) => ((v - low) / (high - low)) * width;
  const y = (v) => height - ((v - low) / (high - low)) * height;
  // the boundary: every edge between two cells of different classes
  const side = width / size;
  const up = height / size;
  const cls = (r, c) => P[r * size + c] > 0.5;
  context.beginPath();
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (c + 1 < size && cls(r, c) !== cls(r, c + 1)) {
        context.moveTo((c + 1) * side, height - r * up);
        context.lineTo((c + 1) * side, height - (r + 1) * up);
      }
      if (r + 1 < size && cls(r, c) !== cls(r + 1, c)) {
        context.moveTo(c * side, height - (r + 1) * up);
        context.lineTo((c + 1) * side, height - (r + 1) * up);
      }
    }
  }
  context.strokeStyle = "#111";
  context.lineWidth = 1.5;
  context.stroke();
  context.drawImage(pointsLayer(canvas, width, height, x, y, data), 0, 0, width, height);
}

// The points never move: they are drawn once for each size of the canvas.
let layer = null;
function pointsLayer(canvas, width, height, x, y, data) {
  if (layer && layer.width === canvas.width && layer.height === canvas.height) return layer;
  layer = document.createElement("canvas");
  layer.width = canvas.width;
  layer.height = canvas.height;
  const context = layer.getContext("2d");
  context.scale(canvas.width / width, canvas.height / height);
  const dot = Math.max(2.5, width / 110);
  const points = (X, Y, n, filled) => {
    for (let i = 0; i < n; i++) {
      const colour = Y[i * 2 + 1] === 1 ? DISC : RING;
      context.beginPath();
      context.arc(x(X[i * 2]), y(X[i * 2 + 1]), dot, 0, 2 * Math.PI);
      context.fillStyle = filled ? `rgb(${colour.join(",")})` : "#fff";
      context.fill();
      context.lineWidth = filled ? 1 : 2;
      context.strokeStyle = filled ? "#111" : `rgb(${colour.join(",")})`;
      context.stroke();
    }
  };
  points(data.Xtest, data.Ytest, data.nTest, false);
  points(data.Xtrain, data.Ytrain, data.nTrain, true);
  return layer;
}

// Curves of `series` ({values, dashed, which}) over epochs 0..n-1, with
// the vertical axis from 0 to `top` (or the largest finite value).
export function drawCurves(canvas, series, top, label) {
  const { context, width, height } = fit(canvas);
  const colours = themeColours();
  context.clearRect(0, 0, width, height);
  const left = 40;
  const bottom = height - 22;
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  const ceiling = top ?? Math.max(1e-12, ...finite) * 1.05;
  const x = (k) => left + ((width - left - 8) * k) / Math.max(10, n - 1);
  const y = (v) => bottom - ((bottom - 8) * Math.min(v, ceiling)) / ceiling;
  context.font = "12px sans-serif";
  context.fillStyle = colours.text;
  context.strokeStyle = colours.grid;
  context.lineWidth = 1;
  context.textAlign = "right";
  for (const v of [0, ceiling / 2, ceiling]) {
    context.beginPath();
    context.moveTo(left, y(v));
    context.lineTo(width - 8, y(v));
    context.stroke();
    context.fillText(v.toPrecision(2), left - 4, y(v) + 4);
  }
  context.textAlign = "left";
  context.fillText("0", left, height - 6);
  context.textAlign = "center";
  context.fillText(label, (left + width) / 2, height - 6);
  context.textAlign = "right";
  context.fillText(`${Math.max(10, n - 1)}`, width - 8, height - 6);
  for (const s of series) {
    context.strokeStyle = colours[s.which];
    context.lineWidth = 2;
    context.setLineDash(s.dashed ? [5, 4] : []);
    context.beginPath();
    let drawing = false;
    // at most about one point per pixel; the last epoch always drawn
    const stride = Math.max(1, Math.floor(s.values.length / (width - left)));
    for (let k = 0; k < s.values.length; k++) {
      if (k % stride !== 0 && k !== s.values.length - 1) continue;
      const v = s.values[k];
      if (!Number.isFinite(v)) { drawing = false; continue; }
      if (drawing) context.lineTo(x(k), y(v));
      else context.moveTo(x(k), y(v));
      drawing = true;
    }
    context.stroke();
  }
  context.setLineDash([]);
}
