(function () {
  if (!window.EventSource) return;
  var es = new EventSource("/events");
  // data-live tells a watching test (or a curious reader) the stream is open.
  es.onopen = function () { document.documentElement.setAttribute("data-live", "open"); };
  es.addEventListener("reload", function () { location.reload(); });
})();
