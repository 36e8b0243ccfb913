/* The answer-check boxes of a page (book/_ext/answer_check.py).
 *
 * Each box is an element with data-answer-check="<label>", a text input and
 * a button. The first click into a box (or the first check) starts a Web
 * Worker (answer-check-worker.mjs) that loads Pyodide, SymPy and the book's
 * checker from this folder; later checks reuse it. After a check the box
 * carries data-verdict="correct", "incorrect" or "error" and shows the
 * explanation. Nothing is fetched before the reader clicks into a box, and
 * nothing from another host.
 */
(() => {
  "use strict";

  const base = new URL(".", document.currentScript.src);
  const LABELS = {correct: "Correct", incorrect: "Not right", error: "Cannot read"};
  let engine = null;

  function startEngine() {
    const worker = new Worker(new URL("answer-check-worker.mjs", base), {type: "module"});
    const state = {worker, pending: new Map(), next: 1, ready: false, stage: "", boxes: new Set()};
    const fail = (text) => {
      for (const done of state.pending.values()) {
        done({verdict: "error", summary: `the checker could not start: ${text}`,
              details: [], tables: [], internal: true});
      }
      state.pending.clear();
      worker.terminate();
      engine = null;
    };
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "progress") {
        state.stage = message.text;
        state.boxes.forEach(renderStatus);
      } else if (message.type === "ready") {
        state.ready = true;
      } else if (message.type === "result") {
        const done = state.pending.get(message.id);
        state.pending.delete(message.id);
        if (done) done(message.result);
      } else if (message.type === "failed") {
        fail(message.text);
      }
    };
    worker.onerror = (event) => fail(event.message || "the worker stopped");
    return state;
  }

  function renderStatus(box) {
    const status = box.querySelector(".answer-check-status");
    const seconds = Math.round((performance.now() - box._started) / 1000);
    const stage = engine && !engine.ready ? engine.stage || "Starting…" : "Checking…";
    status.textContent = seconds >= 1 ? `${stage} (${seconds} s)` : stage;
  }

  function check(box) {
    const input = box.querySelector("input, textarea");
    const button = box.querySelector("button");
    const formula = input.value;
    if (!formula.trim()) {
      input.focus();
      return;
    }
    if (!engine) engine = startEngine();
    const state = engine;
    const id = state.next++;
    box.removeAttribute("data-verdict");
    box.setAttribute("data-state", "checking");
    box.querySelector(".answer-check-result").replaceChildren();
    button.disabled = true;
    box._started = performance.now();
    state.boxes.add(box);
    renderStatus(box);
    const ticker = setInterval(() => renderStatus(box), 1000);
    state.pending.set(id, (result) => {
      clearInterval(ticker);
      state.boxes.delete(box);
      box.querySelector(".answer-check-status").textContent = "";
      show(box, result);
      box.setAttribute("data-state", "done");
      box.setAttribute("data-verdict", result.verdict);
      button.disabled = false;
    });
    state.worker.postMessage({id, key: box.dataset.answerCheck, formula});
  }

  /* Text with `code` spans, built with text nodes only (never innerHTML). */
  function rich(parent, text) {
    text.split("`").forEach((part, i) => {
      if (!part) return;
      if (i % 2) {
        const code = document.createElement("code");
        code.textContent = part;
        parent.append(code);
      } else {
        parent.append(document.createTextNode(part));
      }
    });
    return parent;
  }

  function show(box, result) {
    const out = box.querySelector(".answer-check-result");
    const verdict = document.createElement("p");
    verdict.className = "answer-check-verdict";
    const word = document.createElement("strong");
    word.textContent = `${LABELS[result.verdict] || result.verdict}: `;
    verdict.append(word);
    rich(verdict, result.summary);
    out.append(verdict);
    if (result.details.length) {
      const list = document.createElement("ul");
      list.className = "answer-check-details";
      for (const line of result.details) list.append(rich(document.createElement("li"), line));
      out.append(list);
    }
    if (result.tables.length) {
      const more = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = "Values at this point: the inputs, yours, the right answer";
      const grid = document.createElement("div");
      grid.className = "answer-check-tables";
      for (const table of result.tables) grid.append(matrix(table));
      more.append(summary, grid);
      out.append(more);
    }
  }

  function matrix(table) {
    const figure = document.createElement("figure");
    const caption = document.createElement("figcaption");
    caption.textContent = table.name;
    const element = document.createElement("table");
    for (const row of table.rows) {
      const tr = element.insertRow();
      for (const cell of row) tr.insertCell().textContent = cell;
    }
    figure.append(caption, element);
    return figure;
  }

  function setup() {
    for (const box of document.querySelectorAll("[data-answer-check]")) {
      if (box.dataset.available !== "true") continue;
      const input = box.querySelector("input, textarea");
      /* The engine starts when the reader clicks into a box or types in it
         (the 20 MB load then overlaps the typing); never by scrolling or
         tabbing past. */
      const warm = () => { if (!engine) engine = startEngine(); };
      input.addEventListener("pointerdown", warm, {once: true});
      input.addEventListener("input", warm, {once: true});
      box.querySelector("button").addEventListener("click", () => check(box));
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          if (!box.querySelector("button").disabled) check(box);
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
