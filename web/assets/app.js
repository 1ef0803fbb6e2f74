// papernotes serve: copy buttons and search as you type. Served from the
// same origin (CSP script-src 'self'); no framework, no network beyond it.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button[data-copy]") : null;
    if (!b) return;
    var text = b.getAttribute("data-copy");
    var src = b.getAttribute("data-copy-from");
    if (src) {
      var el = document.getElementById(src);
      if (el) text = el.textContent;
    }
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text).then(function () {
        var old = b.textContent;
        b.textContent = "copied";
        setTimeout(function () { b.textContent = old; }, 1200);
      });
    }
  });

  var box = document.getElementById("search-q");
  var out = document.getElementById("search-results");
  if (!box || !out) return;
  var timer = null, seq = 0;
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // marked turns the API's **match** marks into <mark>, escaping the rest.
  function marked(s) {
    var parts = String(s).split("**"), h = "";
    for (var i = 0; i < parts.length; i++) h += (i % 2 ? "<mark>" + esc(parts[i]) + "</mark>" : esc(parts[i]));
    return h;
  }
  // keyURL is web.KeyURL: the key as one path segment, "." and ".." in a query.
  function keyURL(key) {
    if (key === "." || key === "..") return "/p/?key=" + encodeURIComponent(key);
    return "/p/" + encodeURIComponent(key);
  }
  function run() {
    var q = box.value.trim();
    var my = ++seq;
    var params = new URLSearchParams(new FormData(box.form));
    if (!q) { out.innerHTML = ""; return; }
    history.replaceState(null, "", "/search?" + params.toString());
    fetch("/api/search?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (my !== seq) return;
        if (!res.ok) { out.innerHTML = '<p class="error">' + esc(res.body.error || "error") + "</p>"; return; }
        var h = '<p class="muted">' + res.body.length + " papers</p><ol class=\"hits\">";
        res.body.forEach(function (it) {
          h += '<li><a href="' + esc(keyURL(it.key)) + '">' + esc(it.key) + "</a> " +
            (it.year ? esc(it.year) + " " : "") + esc(it.title) +
            '<br><span class="muted">' + esc(it.path) + ":" + esc(it.line) +
            (it.section ? " [" + esc(it.section) + "]" : "") + "</span> " + marked(it.snippet) + "</li>";
        });
        out.innerHTML = h + "</ol>";
      })
      .catch(function () {});
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
})();
