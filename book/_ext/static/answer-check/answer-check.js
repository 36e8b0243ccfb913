/* The answer-check boxes of a page (book/_ext/answer_check.py).
 *
 * Each box is an element with data-answer-check="<label>", a text input and
 * a button. The first click into a box (or the first check) starts a Web
 * Worker (answer-check-worker.mjs) that loads Pyodide, SymPy and the book's
 * checker from this folder; later checks reuse it. Each engine runs one
 * check at a time; a check that finds every engine busy starts another
 * (up to MAX_ENGINES), so a slow formula in one box does not hold up the
 * others, and a check that overruns is stopped by ending its engine.
 * After a check the box carries data-verdict="correct", "incorrect" or
 * "error", shows the formula as read (typeset) and the explanation, with
 * equation labels replaced by the numbers shown on the page. Nothing is
 * fetched before the reader clicks into a box, and nothing from another
 * host. When no engine can start (the site opened as files, from file://,
 * where browsers start no module worker; a file that does not load), every
 * waiting check ends at once with "Not available" and why.
 */
(() => {
  "use strict";

  const base = new URL(".", document.currentScript.src);
  const LABELS = {correct: "Correct", incorrect: "Not right", error: "Cannot read"};
  const MAX_ENGINES = 3; // a slow check holds one engine; the others serve other boxes
  /* A check that runs longer is stopped: its engine is ended and replaced.
     (The checker itself keeps every check under 2 s in CPython; Pyodide
     is a few times slower.) A test may shorten it for one box with the
     attribute data-timeout-ms. */
  const timeoutMs = (box) => Number(box.dataset.timeoutMs) || 30000;
  const engines = [];
  const queue = []; // checks waiting for an engine: {box, formula, done}
  let broken = ""; // why the engine could not start (then no retry)
  /* An engine that is still loading and reports nothing new for this long
     (a download that stalled) is ended, and its check says so; the next
     check starts a fresh one. Loading Python (about 13 MB) reports no
     progress of its own, hence the margin for a slow connection. A test
     may shorten it with the attribute data-answer-check-stall-ms on the
     page's root element. */
  const stallMs = () => Number(document.documentElement.dataset.answerCheckStallMs) || 180000;

  /* Why the engine cannot start, in words a reader can act on. Opened as
     files (file://), a browser starts no module worker; the playground's
     page says the same. */
  const SERVE = "it needs the site served by a web server, not opened as files: " +
    "run `python -m http.server` in the folder that holds index.html and open " +
    "http://localhost:8000/. Or check the formula on the command line: " +
    "`python -m nnintro.answers LABEL FORMULA`";
  const why = (text) => location.protocol === "file:" ? SERVE : text;

  /* The verdict of a check that found no engine: the command line's
     words carry the box's label and the reader's formula. */
  function notStarted(job, text) {
    const formula = job.formula.includes('"') ? "'" + job.formula + "'" : `"${job.formula}"`;
    const summary = `the checker could not start: ${text}`
      .replace("LABEL", job.box.dataset.answerCheck).replace("FORMULA", formula);
    return {verdict: "error", summary, details: [], tables: [], echo: "", internal: true,
            unavailable: true};
  }

  function startEngine() {
    let worker;
    try {
      worker = new Worker(new URL("answer-check-worker.mjs", base), {type: "module"});
    } catch (error) {
      broken = why(String(error.message || error));
      return null;
    }
    const engine = {worker, ready: false, stage: "", job: null, next: 1};
    const fail = (text) => {
      const job = engine.job;
      if (!engine.ready) broken = why(text);
      end(engine);
      if (job) job.done(notStarted(job, why(text)));
    };
    const watch = () => {
      clearTimeout(engine.stall);
      const limit = stallMs();
      engine.stall = setTimeout(() => {
        const job = engine.job;
        end(engine);
        if (job) {
          const seconds = Math.round(limit / 100) / 10;
          job.done(notStarted(job, `nothing new arrived for ${seconds} s while it ` +
                              `loaded (${engine.stage || "starting"}). Check again to ` +
                              "retry, or reload the page"));
        }
      }, limit);
    };
    watch();
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "progress") {
        engine.stage = message.text;
        if (!engine.ready) watch();
        if (engine.job) renderStatus(engine.job.box, engine);
      } else if (message.type === "ready") {
        clearTimeout(engine.stall);
        engine.ready = true;
        if (engine.job) armTimer(engine);
        dispatch();
      } else if (message.type === "result") {
        const job = engine.job;
        if (!job || job.id !== message.id) return;
        clearTimeout(engine.timer);
        engine.job = null;
        job.done(message.result);
        dispatch();
      } else if (message.type === "failed") {
        fail(message.text);
      }
    };
    worker.onerror = (event) => fail(event.message || "the worker stopped");
    engines.push(engine);
    return engine;
  }

  function end(engine) {
    clearTimeout(engine.timer);
    clearTimeout(engine.stall);
    engine.worker.terminate();
    const i = engines.indexOf(engine);
    if (i >= 0) engines.splice(i, 1);
    engine.job = null;
    dispatch();
  }

  function armTimer(engine) {
    clearTimeout(engine.timer);
    engine.timer = setTimeout(() => {
      const job = engine.job;
      end(engine);
      if (job) {
        const seconds = Math.round(timeoutMs(job.box) / 100) / 10;
        job.done({verdict: "error", echo: job.echo || "", tables: [], stopped: true,
                  summary: `the check was stopped after ${seconds} s, too long for this ` +
                           "browser; the checker was restarted and the other boxes keep " +
                           "working. Try the command line for this formula.",
                  details: []});
      }
    }, timeoutMs(engine.job.box));
  }

  /* Give waiting checks to idle engines, starting engines up to MAX_ENGINES. */
  function dispatch() {
    while (queue.length) {
      if (broken) {
        const job = queue.shift();
        job.done(notStarted(job, broken));
        continue;
      }
      let engine = engines.find((e) => !e.job);
      if (!engine && engines.length < MAX_ENGINES) engine = startEngine();
      if (!engine && broken) continue; // it could not start: answered above
      if (!engine) return; // every engine busy: the next free one takes it
      const job = queue.shift();
      job.id = engine.next++;
      engine.job = job;
      renderStatus(job.box, engine);
      if (engine.ready) armTimer(engine);
      engine.worker.postMessage({id: job.id, key: job.box.dataset.answerCheck,
                                 formula: job.formula});
    }
  }

  function warm() {
    if (!engines.length && !broken) startEngine();
  }

  function renderStatus(box, engine) {
    const status = box.querySelector(".answer-check-status");
    const seconds = Math.round((performance.now() - box._started) / 1000);
    let stage = "Waiting for a free engine…";
    if (engine) stage = engine.ready ? "Checking…" : engine.stage || "Starting…";
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
    box.removeAttribute("data-verdict");
    box.setAttribute("data-state", "checking");
    box.querySelector(".answer-check-result").replaceChildren();
    button.disabled = true;
    box._started = performance.now();
    renderStatus(box, null);
    const job = {box, formula};
    const ticker = setInterval(() => {
      const engine = engines.find((e) => e.job === job);
      renderStatus(box, engine);
    }, 1000);
    job.done = (result) => {
      clearInterval(ticker);
      box.querySelector(".answer-check-status").textContent = "";
      show(box, result);
      box.setAttribute("data-state", "done");
      box.setAttribute("data-verdict", result.verdict);
      if (result.stopped) box.setAttribute("data-stopped", "true");
      else box.removeAttribute("data-stopped");
      button.disabled = false;
    };
    queue.push(job);
    dispatch();
  }

  /* "(eq. q16-Wy)" becomes the number the reader sees on the page,
     "(eq. 5.5)"; a label not on this page stays as it is. */
  function equationNumber(label) {
    const id = `equation-${label.toLowerCase()}`; // Sphinx lowercases ids
    const number = document.querySelector(`#${CSS.escape(id)} .eqno`);
    const shown = number && number.firstChild && number.firstChild.textContent.trim();
    return shown ? shown.replace(/^\((.*)\)$/, "$1") : null;
  }

  function equationNumbers(text) {
    return text.replace(/eq\. ([A-Za-z][A-Za-z0-9-]*)/g, (whole, label) => {
      const shown = equationNumber(label);
      return shown ? `eq. ${shown}` : whole;
    });
  }

  /* Text with `code` spans, built with text nodes only (never innerHTML). */
  function rich(parent, text) {
    equationNumbers(text).split("`").forEach((part, i) => {
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
    if (result.echo) {
      /* The formula as the checker read it, typeset by the page's MathJax
         (the LaTeX is written by the checker from the parsed formula). */
      const echo = document.createElement("p");
      echo.className = "answer-check-echo";
      const label = document.createElement("span");
      label.className = "answer-check-echo-label";
      label.textContent = "Read as: ";
      const math = document.createElement("span");
      math.className = "answer-check-echo-math";
      math.textContent = `\\(${result.echo}\\)`;
      echo.append(label, math);
      out.append(echo);
      if (window.MathJax && window.MathJax.typesetPromise) {
        window.MathJax.typesetPromise([math]).catch(() => {});
      }
    }
    const verdict = document.createElement("p");
    verdict.className = "answer-check-verdict";
    const word = document.createElement("strong");
    const name = result.unavailable ? "Not available" : LABELS[result.verdict];
    word.textContent = `${name || result.verdict}: `;
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
         (the download, whose size the box states, then overlaps the
         typing); never by scrolling or tabbing past. */
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
