(function () {
  if (!window.EventSource) return;
  var es = null;
  function open() {
    es = new EventSource("/events");
    // data-live tells a watching test (or a curious reader) the stream is open.
    es.onopen = function () { document.documentElement.setAttribute("data-live", "open"); };
    es.addEventListener("reload", function () { location.reload(); });
  }
  // Close the stream when the page goes away: a browser allows six
  // connections to a host, and the streams of pages kept for the back
  // button would hold them until the next page's requests stall. A page
  // coming back from that cache opens a new stream.
  window.addEventListener("pagehide", function () { if (es) es.close(); });
  window.addEventListener("pageshow", function (ev) { if (ev.persisted) open(); });
  open();
})();
