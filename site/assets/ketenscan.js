// Ketenscan: small additions to Material, no storage, no requests.
(function () {
  "use strict";

  // Open every data table before printing, so the printout holds all numbers.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (el) {
      el.setAttribute("open", "");
      opened.push(el);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) { el.removeAttribute("open"); });
    opened = [];
  });

  // Material's menu button (below 76.25em) is a label for a hidden checkbox: a mouse can
  // use it, a keyboard cannot. Make it a real button: focusable, named, with its state,
  // Enter and Space to open, Escape to close and return to it.
  function menuButton() {
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector('.md-header label.md-header__button[for="__drawer"]');
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !button) return;
    button.setAttribute("role", "button");
    button.setAttribute("tabindex", "0");
    button.setAttribute("aria-label", "Menu");
    if (drawer) {
      if (!drawer.id) drawer.id = "ks-menu";
      button.setAttribute("aria-controls", drawer.id);
    }
    function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
    function open(state) {
      if (toggle.checked !== state) toggle.click();
      sync();
    }
    sync();
    toggle.addEventListener("change", sync);
    button.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        // Material clicks a focused label on Enter itself: that would toggle it back.
        event.preventDefault();
        event.stopPropagation();
        open(!toggle.checked);
        if (toggle.checked && drawer) {
          var first = drawer.querySelector("a[href], [tabindex='0']");
          if (first) window.setTimeout(function () { if (toggle.checked) first.focus(); }, 0);
        }
      }
    });
    // Tab past the last link of the open menu closes it: the page behind it is locked and
    // dimmed, so a focus there would be out of sight.
    if (drawer) {
      drawer.addEventListener("focusout", function (event) {
        var next = event.relatedTarget;
        if (!toggle.checked || !next || drawer.contains(next) || next === button) return;
        open(false);
        // Once the menu is closed, bring the newly focused element into sight, but only if
        // it still has the focus: on a busy phone (or with Tab held down) the focus may have
        // moved on before this runs, and scrolling back to `next` would hide the new focus.
        window.setTimeout(function () {
          if (document.activeElement === next) next.scrollIntoView({ block: "nearest" });
        }, 0);
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        open(false);
        button.focus();
      }
    });
  }
  menuButton();

  // On a narrow screen Material locks the page while its search is open (the body fixed in
  // place). Tab out of the search moves the focus to the page while it is still locked, so
  // the browser cannot scroll it into view; once Material unlocks, bring it into sight.
  if ("MutationObserver" in window) {
    new MutationObserver(function () {
      if (document.body.hasAttribute("data-md-scrolllock")) return;
      window.setTimeout(function () {
        var active = document.activeElement;
        if (!active || active === document.body || active.closest(".md-header, .md-search")) return;
        var box = active.getBoundingClientRect();
        if (box.bottom < 0 || box.top > window.innerHeight) active.scrollIntoView({ block: "nearest" });
      }, 0);
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-scrolllock"] });
  }

  // Material wraps each Markdown table in a div that scrolls sideways when the table is too
  // wide, and a chart scrolls sideways on a phone rather than shrink below legibility.
  // A keyboard user can only scroll such a box when it takes focus (WCAG 2.1.1), and a
  // screen reader then needs a name for it: the chart's title or the heading above the table.
  function nameOf(wrap) {
    var chart = wrap.querySelector("svg[aria-label]");
    if (chart) return "Grafiek: " + chart.getAttribute("aria-label");
    for (var node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) return "Tabel: " + node.textContent.trim();
    }
    var title = document.querySelector(".md-content h1");
    return "Tabel: " + (title ? title.textContent.trim() : "");
  }

  function fit(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    // A chart's data table is always a named, focusable region (see _macros.md.j2); other
    // boxes become one only while they scroll, so that a keyboard can scroll them.
    if (!wrap.classList.contains("ks-table-wrap")) {
      if (scrolls) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", nameOf(wrap));
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
    // A chart or table cut off at the edge of the screen says so. Screen readers get the
    // whole table anyway, so the hint is for the eye only.
    var hint = wrap.nextElementSibling;
    if (!hint || !hint.classList.contains("ks-scroll-hint")) {
      if (!scrolls) return;
      hint = document.createElement("p");
      hint.className = "ks-scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = wrap.classList.contains("ks-figure__chart")
        ? "Schuif de grafiek opzij om alles te zien."
        : "Schuif de tabel opzij om alles te zien.";
      wrap.parentNode.insertBefore(hint, wrap.nextSibling);
    }
    hint.hidden = !scrolls;
  }

  var watcher = "ResizeObserver" in window
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { fit(entry.target); });
      })
    : null;

  function watchTables() {
    var boxes = ".md-content .md-typeset__scrollwrap, .md-content .ks-figure__chart, "
      + ".md-content .ks-table-wrap";
    document.querySelectorAll(boxes).forEach(function (wrap) {
      fit(wrap);
      if (watcher) watcher.observe(wrap);
    });
  }

  // Material wraps the tables when its `document$` emits; run after that.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(watchTables, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { window.setTimeout(watchTables, 0); });
  }
})();
