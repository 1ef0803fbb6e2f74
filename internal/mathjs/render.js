// papernotes: turn the TeX of every "math inline"/"math display" element
// (written by papernotes' markdown renderer, $ delimiters included) into
// MathML with Temml, once, when the page is loaded. A formula Temml cannot
// parse keeps its TeX source as text (never parsed as HTML), gets the class
// math-error and the message as its tooltip; nothing is thrown past this
// script, so one bad formula never breaks the page. Nothing is fetched.
(function () {
  "use strict";
  function strip(t) {
    t = t.trim();
    if (t.length >= 4 && t.slice(0, 2) === "$$" && t.slice(-2) === "$$") return t.slice(2, -2).trim();
    if (t.length >= 2 && t.charAt(0) === "$" && t.charAt(t.length - 1) === "$") return t.slice(1, -1);
    return t;
  }
  function renderOne(el) {
    if (el.hasAttribute("data-tex")) return;
    var tex = strip(el.textContent);
    el.setAttribute("data-tex", tex);
    try {
      // maxSize caps \rule and spaces at 30em, or 360pt in absolute units
      // (Temml takes [em, pt]), so a formula cannot cover the page; \href,
      // \includegraphics, \class and \style stay refused (Temml's trust
      // option is off), and maxExpand (1000 by default) stops macro loops.
      temml.render(tex, el, { displayMode: el.classList.contains("display"), throwOnError: true, maxSize: [30, 360] });
      if (!el.querySelector("math")) throw new Error("no MathML produced");
    } catch (e) {
      el.textContent = tex;
      el.classList.add("math-error");
      el.title = "TeX error: " + String((e && e.message) || e);
    }
  }
  // papernotesRenderMath renders the math elements under root (the document
  // when omitted) that are not rendered yet, e.g. after a page part reloads.
  function renderAll(root) {
    try {
      if (typeof temml === "undefined") return;
      var els = (root || document).querySelectorAll(".math.inline, .math.display");
      for (var i = 0; i < els.length; i++) renderOne(els[i]);
    } catch (e) {
      if (window.console) console.error("papernotes math:", e);
    }
  }
  window.papernotesRenderMath = renderAll;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { renderAll(); });
  } else {
    renderAll();
  }
})();
