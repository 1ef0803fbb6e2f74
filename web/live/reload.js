(function () {
  if (!window.EventSource) return;
  var es = new EventSource("/events");
  es.addEventListener("reload", function () { location.reload(); });
})();
