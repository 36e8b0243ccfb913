/* The site as its readers use it (added by book/_ext/reader_widgets.py).
 *
 * - Menu buttons: the theme binds only the first element of class primary-toggle
 *   (or secondary-toggle), a hidden one in the page header (pydata-sphinx-theme
 *   issue 2451); the visible buttons forward their clicks to it.
 * - The "On this page" drawer of a phone closes when an entry is tapped, and
 *   the page scrolls to that section.
 * - Figures: a click or tap on a figure opens it full screen (pinch to zoom;
 *   Escape, the Close button or a tap on the backdrop close it).
 * - Equations: a button next to each equation number copies a citation and
 *   shows it in a note at the foot of the screen, until it is dismissed.
 * - Solutions: a tap anywhere on the title of a folded solution opens it.
 * - Questions: the heading of each question (q1, q2, ...) shows its link sign
 *   on touch screens too (CSS: .nnintro-question).
 * - Wide tables say that they scroll sideways; search results show formulas
 *   as text, not as LaTeX source.
 */
"use strict";

(() => {
  const ready = (run) => {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run);
    } else {
      run();
    }
  };

  /* --- MathJax ---------------------------------------------------------
   * MathJax (4) breaks a long display into lines to fit its box. A display
   * laid out in more than two columns (several relations side by side in an
   * aligned environment) would be broken inside its cells, which reads
   * worse than scrolling: such a display scrolls in its own box instead.
   * Only alignments count (their columns align right and left in turn): a
   * matrix in brackets (SymPy's output) is drawn garbled by MathJax when
   * its display scrolls, and it cannot be broken anyway.
   * This script runs after the page's MathJax configuration and before
   * MathJax itself (both are deferred, in this order). */

  function alignment(table) {
    const align = String(table.attributes.get("columnalign") || "").split(/\s+/);
    return align.includes("right") && align.includes("left");
  }

  function columns(node) {
    let widest = 0;
    node.walkTree((child) => {
      if (child.isKind && child.isKind("mtable") && alignment(child)) {
        for (const row of child.childNodes) {
          widest = Math.max(widest, row.childNodes.length);
        }
      }
    });
    return widest;
  }

  if (window.MathJax && !window.MathJax.version) {
    const startup = window.MathJax.startup || {};
    startup.ready = () => {
      window.MathJax.startup.defaultReady();
      for (const jax of window.MathJax.startup.document.inputJax || []) {
        if (!jax.postFilters) continue;
        jax.postFilters.add(({ math, data }) => {
          const root = data && data.root;
          if (math.display && root && columns(root) > 2) {
            root.attributes.set("overflow", "scroll");
          }
        });
      }
    };
    window.MathJax.startup = startup;
  }

  /* --- menu buttons ---------------------------------------------------- */

  function forwardSidebarToggles() {
    for (const side of ["primary", "secondary"]) {
      const [bound, ...others] = document.querySelectorAll(`.${side}-toggle`);
      for (const button of others) {
        button.addEventListener("click", (event) => {
          event.preventDefault();
          event.stopImmediatePropagation();
          bound.click();
        });
      }
    }
  }

  /* --- the "On this page" drawer on a phone ----------------------------
   * On a narrow screen the theme moves the page's contents into a modal
   * dialog. When the dialog closes, the theme puts focus back on the menu
   * button, which would scroll the page back up: the section is scrolled to
   * after that. */

  function goTo(hash) {
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    if (window.location.hash !== hash) {
      history.pushState(null, "", hash);
    }
    target.scrollIntoView({ block: "start" });
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }

  function closingContentsDrawer() {
    for (const dialog of document.querySelectorAll(
      "#pst-secondary-sidebar-modal, #pst-primary-sidebar-modal"
    )) {
      dialog.addEventListener("click", (event) => {
        const link = event.target.closest("a[href]");
        if (!link || !dialog.open) return;
        const url = new URL(link.href, window.location.href);
        const samePage =
          url.pathname === window.location.pathname && url.hash.length > 1;
        if (!samePage) {
          dialog.close();
          return;
        }
        event.preventDefault();
        dialog.addEventListener(
          "close",
          () => setTimeout(() => goTo(url.hash), 0),
          { once: true }
        );
        dialog.close();
      });
    }
  }

  /* --- figures full screen --------------------------------------------- */

  let viewer = null;

  function figureViewer() {
    if (viewer) return viewer;
    viewer = document.createElement("dialog");
    viewer.className = "nnintro-viewer";
    viewer.setAttribute("aria-label", "Figure, full screen");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "nnintro-viewer-close";
    close.textContent = "Close";
    close.addEventListener("click", () => viewer.close());
    const image = document.createElement("img");
    viewer.append(close, image);
    // a tap on the backdrop (outside the figure) closes the viewer
    viewer.addEventListener("click", (event) => {
      if (event.target === viewer) viewer.close();
    });
    document.body.append(viewer);
    return viewer;
  }

  function openFigure(img) {
    const dialog = figureViewer();
    const image = dialog.querySelector("img");
    image.src = img.currentSrc || img.src;
    image.alt = img.alt;
    dialog.showModal();
    dialog.querySelector("button").focus({ preventScroll: true });
  }

  // Escape closes the viewer wherever the focus is (the dialog's own cancel
  // needs the focus inside it)
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && viewer && viewer.open) {
      event.preventDefault();
      viewer.close();
    }
  });

  function enlargeableFigures() {
    const article = document.querySelector("article.bd-article");
    if (!article) return;
    for (const img of article.querySelectorAll("img")) {
      if (img.closest("a") || img.width < 48) continue;
      const link = document.createElement("a");
      link.href = img.src;
      link.className = "nnintro-enlarge";
      link.title = "Enlarge the figure";
      img.replaceWith(link);
      link.append(img);
      link.addEventListener("click", (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        openFigure(img);
      });
    }
  }

  /* --- citable equations ----------------------------------------------- */

  const book = () => window.NNINTRO_BOOK || {};

  function permalink(id) {
    const base = book().pageUrl || window.location.href.split("#")[0];
    return `${base}#${id}`;
  }

  function citation(number, id) {
    const info = book();
    const version = info.version ? `, version ${info.version}` : "";
    return `${info.title}${version}, equation ${number}, ${permalink(id)}`;
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "nnintro-offscreen";
      document.body.append(area);
      area.select();
      let copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (ignored) {
        copied = false;
      }
      area.remove();
      return copied;
    }
  }

  let citeNote = null;

  function citationNote() {
    if (citeNote) return citeNote;
    citeNote = document.createElement("div");
    citeNote.className = "nnintro-cite-note";
    citeNote.setAttribute("role", "status");
    citeNote.hidden = true;
    const text = document.createElement("p");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "nnintro-cite-close";
    close.textContent = "Dismiss";
    close.addEventListener("click", () => {
      citeNote.hidden = true;
    });
    citeNote.append(text, close);
    document.body.append(citeNote);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !citeNote.hidden) citeNote.hidden = true;
    });
    return citeNote;
  }

  function showCitation(message) {
    const note = citationNote();
    note.querySelector("p").textContent = message;
    note.hidden = false;
  }

  function citeButtons() {
    for (const eqno of document.querySelectorAll("div.math span.eqno")) {
      const math = eqno.closest("div.math");
      const id = math.id || (math.previousElementSibling || {}).id;
      if (!id) continue;
      const number = eqno.textContent.replace(/[#\uf0c1]/g, "").trim();
      const button = document.createElement("button");
      button.type = "button";
      button.className = "nnintro-cite";
      button.setAttribute("aria-label", `Copy a citation of equation ${number}`);
      button.title = "Copy a citation of this equation";
      button.innerHTML = '<i class="fa-regular fa-copy" aria-hidden="true"></i>';
      button.addEventListener("click", async () => {
        const text = citation(number, id);
        const copied = await copyText(text);
        showCitation(copied ? `Copied: ${text}` : `Citation: ${text}`);
      });
      eqno.append(button);
    }
  }

  /* --- solutions open from their title -----------------------------------
   * sphinx-togglebutton listens on the whole title of a folded solution but
   * finds its button only when the tap lands on the title's own box or on
   * the chevron; a tap on the words ("Solution to Exercise 5.1", a link to
   * the exercise) followed that link and threw "button is not defined".
   * Here any tap on the title toggles the solution, through its button. */

  function solutionTitles() {
    for (const title of document.querySelectorAll(
      ".solution.dropdown > .admonition-title, .dropdown.admonition > .admonition-title"
    )) {
      title.addEventListener(
        "click",
        (event) => {
          const button = title.querySelector("button.toggle-button");
          if (!button || typeof window.toggleHidden !== "function") return;
          event.preventDefault();
          event.stopImmediatePropagation();
          window.toggleHidden(button);
        },
        true
      );
    }
  }

  /* --- question links on touch screens --------------------------------- */

  function markQuestions() {
    const question = /^q\d+$/;
    for (const section of document.querySelectorAll("section[id^='q']")) {
      const heading = section.querySelector(":scope > h2, :scope > h3");
      if (question.test(section.id) && heading) {
        heading.classList.add("nnintro-question");
      }
    }
    for (const anchor of document.querySelectorAll("span[id^='q']")) {
      const heading = anchor.nextElementSibling;
      if (question.test(anchor.id) && heading && /^H[1-6]$/.test(heading.tagName)) {
        heading.classList.add("nnintro-question");
      }
    }
  }

  /* --- wide tables -------------------------------------------------------
   * A table wider than its column scrolls inside its box; a line above it
   * says so (a phone shows no scroll bar until one scrolls). */

  function wideTables() {
    const boxes = [
      ...document.querySelectorAll("article .pst-scrollable-table-container"),
    ];
    const mark = () => {
      for (const box of boxes) {
        const wide = box.scrollWidth > box.clientWidth + 1;
        box.classList.toggle("nnintro-scrolls", wide);
        let hint = box.previousElementSibling;
        if (!hint || !hint.classList.contains("nnintro-scroll-hint")) {
          if (!wide) continue;
          hint = document.createElement("p");
          hint.className = "nnintro-scroll-hint";
          hint.textContent = "The table is wider than the screen: scroll it sideways \u2192";
          box.before(hint);
        }
        hint.hidden = !wide;
        if (wide && !box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0"); // scrollable with the keyboard
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", "Table, scrolls sideways");
        }
      }
    };
    /* Typeset formulas change a table's width after the page is ready,
       and so do fonts and the window: measure again each time (once a
       frame at most), when MathJax has typeset the page and whenever a box
       or its table changes size. */
    let queued = false;
    const again = () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        mark();
      });
    };
    mark();
    window.addEventListener("resize", again);
    const mathjax = window.MathJax && window.MathJax.startup;
    if (mathjax && mathjax.promise) mathjax.promise.then(again, again);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(again);
    if (window.ResizeObserver && boxes.length) {
      const observer = new ResizeObserver(again);
      for (const box of boxes) {
        observer.observe(box);
        if (box.firstElementChild) observer.observe(box.firstElementChild);
      }
    }
  }

  /* --- search results without LaTeX source --------------------------------
   * Sphinx's search shows a snippet of each page's text, in which formulas
   * are still their source, \(n_x\). They are shown as plain text. */

  const TEX_WORDS = {
    alpha: "\u03b1", beta: "\u03b2", gamma: "\u03b3", delta: "\u03b4",
    Delta: "\u0394", eta: "\u03b7", theta: "\u03b8", lambda: "\u03bb",
    mu: "\u03bc", sigma: "\u03c3", Sigma: "\u03a3", partial: "\u2202",
    ell: "\u2113", sum: "\u03a3", top: "\u1d40", odot: "\u2299",
    cdot: "\u00b7", times: "\u00d7", infty: "\u221e", leq: "\u2264",
    geq: "\u2265", approx: "\u2248", to: "\u2192", in: "\u2208",
    nabla: "\u2207", lVert: "\u2016", rVert: "\u2016", Vert: "\u2016",
    left: "", right: "", quad: " ", qquad: " ",
  };
  const TEX_ACCENTS = { tilde: "\u0303", hat: "\u0302", bar: "\u0304" };

  function texAsText(text) {
    return text
      .replace(/\\[()[\]]|\$\$/g, "")
      .replace(/\\\\|&/g, " ")
      .replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)")
      .replace(/\\(tilde|hat|bar)\s*\{?\s*(\\?[A-Za-z])\}?/g,
               (_, accent, letter) => letter.replace("\\", "") + TEX_ACCENTS[accent])
      .replace(/\\(?:mathrm|text|mathbf|operatorname)\s*\{([^{}]*)\}/g, "$1")
      .replace(/\\([A-Za-z]+)/g, (_, word) => TEX_WORDS[word] || word)
      .replace(/\\[,;:! ]/g, " ")
      .replace(/[{}\\]/g, "")
      .replace(/ {2,}/g, " ");
  }

  function plainSearchSnippets() {
    // Sphinx declares it with `const`: a global name, not a property of window
    // eslint-disable-next-line no-undef
    const search = typeof Search === "undefined" ? null : Search;
    if (!search || typeof search.makeSearchSummary !== "function") return;
    if (search.makeSearchSummary.nnintroPlain) return;
    const summary = search.makeSearchSummary.bind(search);
    search.makeSearchSummary = (...args) => {
      const element = summary(...args);
      if (element && element.textContent) {
        element.textContent = texAsText(element.textContent);
      }
      return element;
    };
    search.makeSearchSummary.nnintroPlain = true;
  }

  /* --- accessible names ------------------------------------------------
   * A control's spoken name must contain its visible text (WCAG 2.5.3):
   * the theme's search buttons are labelled "Search" but show "Search
   * Ctrl+K", the code cells' toggles "Toggle hidden content" but show
   * "Show code cell content", and the colour button has no visible text
   * but names none of its modes. */

  function accessibleNames() {
    for (const element of document.querySelectorAll(
      "button[aria-label], summary[aria-label]"
    )) {
      const visible = element.innerText.replace(/\s+/g, " ").trim();
      const label = element.getAttribute("aria-label");
      if (visible && !label.toLowerCase().includes(visible.toLowerCase())) {
        element.removeAttribute("aria-label");
      }
    }
    for (const button of document.querySelectorAll(".theme-switch-button")) {
      button.setAttribute("aria-label", "Colour mode: light, dark or system");
      hideIconTitles(button);
      // Font Awesome may turn each icon into an SVG with a title ("Light",
      // ...) after this runs; that title would count as visible text.
      new MutationObserver(() => hideIconTitles(button)).observe(button, {
        childList: true,
        subtree: true,
      });
    }
  }

  function hideIconTitles(button) {
    for (const icon of button.querySelectorAll("i, svg")) {
      if (icon.getAttribute("aria-hidden") !== "true") {
        icon.setAttribute("aria-hidden", "true");
      }
      if (icon.hasAttribute("title")) icon.removeAttribute("title");
      icon.querySelectorAll("title").forEach((title) => title.remove());
    }
  }

  plainSearchSnippets();

  ready(() => {
    forwardSidebarToggles();
    closingContentsDrawer();
    enlargeableFigures();
    citeButtons();
    solutionTitles();
    markQuestions();
    wideTables();
    plainSearchSnippets();
    accessibleNames();
  });
})();
