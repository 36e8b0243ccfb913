/* The site as its readers use it (added by book/_ext/site_tweaks.py).
 *
 * - Menu buttons: the theme binds only the first element of class primary-toggle
 *   (or secondary-toggle), a hidden one in the page header (pydata-sphinx-theme
 *   issue 2451); the visible buttons forward their clicks to it.
 * - Figures: a click or tap on a figure opens it full screen.
 * - Equations: a button next to each equation number copies a citation.
 * - Questions: the heading of each question (q1, q2, ...) shows its link sign
 *   on touch screens too (CSS: .nnintro-question).
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
   * This script runs after the page's MathJax configuration and before
   * MathJax itself (both are deferred, in this order). */

  function columns(node) {
    let widest = 0;
    node.walkTree((child) => {
      if (child.isKind && child.isKind("mtable")) {
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
    image.addEventListener("click", () => {
      viewer.classList.toggle("nnintro-viewer-actual");
    });
    viewer.append(close, image);
    viewer.addEventListener("close", () => {
      viewer.classList.remove("nnintro-viewer-actual");
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
  }

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
      const note = document.createElement("span");
      note.className = "nnintro-cite-note";
      note.setAttribute("role", "status");
      button.addEventListener("click", async () => {
        const text = citation(number, id);
        const copied = await copyText(text);
        note.textContent = copied ? `Copied: ${text}` : text;
        note.classList.add("nnintro-cite-shown");
        clearTimeout(note.hideTimer);
        note.hideTimer = setTimeout(() => {
          note.classList.remove("nnintro-cite-shown");
        }, 8000);
      });
      eqno.append(button, note);
    }
  }

  /* --- question links on touch screens --------------------------------- */

  function markQuestions() {
    for (const anchor of document.querySelectorAll("span[id^='q']")) {
      const heading = anchor.nextElementSibling;
      if (/^q\d+$/.test(anchor.id) && heading && /^H[1-6]$/.test(heading.tagName)) {
        heading.classList.add("nnintro-question");
      }
    }
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

  ready(() => {
    forwardSidebarToggles();
    enlargeableFigures();
    citeButtons();
    markQuestions();
    accessibleNames();
  });
})();
