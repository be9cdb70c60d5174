/* Added to every page by review_evidence/sphinxext/offline.py.
   Charts are laid out for the width of their container (Vega-Lite width "container"), which Vega
   measures when it draws and again on a window resize. A chart drawn inside a closed dropdown (a
   solution) measures 0 px, and one in a column that changes width (the sidebar opens) keeps its old
   width. So when a chart's container changes width, Vega is told to measure again. */
(function () {
  "use strict";
  if (!("ResizeObserver" in window)) return;
  var widths = new WeakMap();
  var queued = false;
  var observer = new ResizeObserver(function (entries) {
    var changed = false;
    entries.forEach(function (entry) {
      var width = Math.round(entry.contentRect.width);
      if (widths.get(entry.target) !== width) {
        widths.set(entry.target, width);
        changed = true;
      }
    });
    if (changed && !queued) {
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        window.dispatchEvent(new Event("resize"));
      });
    }
  });
  function watch() {
    document.querySelectorAll("div[id^='altair-viz-']").forEach(function (chart) { observer.observe(chart); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
