/* The answer checker's engine, in a Web Worker (started by answer-check.js).
 *
 * Loads, once, from this folder only: Pyodide (manifest.pyodide), SymPy and
 * mpmath (manifest.archives: one zip of bytecode, or the two wheels) and the
 * book's checker (manifest.checker, the package nnintro.answers), all
 * unpacked into Python's working directory, then answers messages
 * {id, key, formula} with {type: "result", id, result}. The formula is
 * passed to Python as a string argument, never as code.
 */

const base = new URL("./", import.meta.url);
const progress = (text) => self.postMessage({type: "progress", text});
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

async function bytesOf(path, label) {
  const response = await fetch(new URL(path, base));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const total = Number(response.headers.get("content-length")) || 0;
  if (!response.body || !total) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const parts = [];
  let received = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    progress(`${label}: ${megabytes(received)} of ${megabytes(total)}`);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

async function start() {
  const manifest = await (await fetch(new URL("manifest.json", base))).json();
  progress(`Loading Python (${megabytes(manifest.pyodide_size)})`);
  const pyodideURL = new URL(manifest.pyodide, base);
  const {loadPyodide} = await import(new URL("pyodide.mjs", pyodideURL).href);
  const py = await loadPyodide({indexURL: pyodideURL.href});
  for (const archive of manifest.archives) {
    py.unpackArchive(await bytesOf(archive.path, "Loading SymPy"), archive.format);
  }
  py.unpackArchive(await bytesOf(manifest.checker, "Loading the checker"), "zip");
  progress("Starting SymPy");
  const checker = py.pyimport("nnintro.answers.checker");
  checker.prepare(false); // the first sizes: enough for a first verdict
  const json = py.pyimport("json");
  self.postMessage({type: "ready"});
  /* The other sizes, between messages: a check sent meanwhile waits for
     this (about a second), not the whole load. */
  setTimeout(() => checker.prepare(true), 0);
  return {checker, json};
}

const engine = start();
engine.catch((error) => self.postMessage({type: "failed", text: String(error.message || error)}));

self.onmessage = async (event) => {
  const {id, key, formula} = event.data;
  const {checker, json} = await engine;
  let result;
  try {
    const answer = checker.check(String(key), String(formula));
    result = JSON.parse(json.dumps(answer.as_dict()));
    answer.destroy();
  } catch (error) {
    const last = String(error.message || error).trim().split("\n").pop();
    result = {verdict: "error", summary: `the checker failed on this formula (${last})`,
              details: [], tables: [], internal: true};
  }
  self.postMessage({type: "result", id, result});
};
