/* Added to every page by review_evidence/sphinxext/page_shell.py.

   Navigation. pydata-sphinx-theme 0.17.1 renders its own sidebar buttons (.primary-toggle,
   .secondary-toggle) in a navbar that sphinx-book-theme 1.3.0 hides, while sphinx-book-theme shows
   its own buttons with the same classes in the article header. Both themes' scripts bind only the
   first match (document.querySelector), the hidden one, so the visible buttons did nothing
   (pydata-sphinx-theme issue #2451; no release that fixes it runs on Sphinx 7, which jupyter-book
   1.x requires). A press on any other button of the same kind is handed to the first one, where
   the themes' own code opens the sidebar (a dialog on narrow screens, a collapse on wide ones).
   The original press is stopped in the capture phase, so the themes' code runs once even if a
   later release binds every button. */
(function () {
  var KINDS = [".primary-toggle", ".secondary-toggle"];
  document.addEventListener("click", function (event) {
    if (!event.isTrusted || !(event.target instanceof Element)) return;
    for (var i = 0; i < KINDS.length; i++) {
      var pressed = event.target.closest(KINDS[i]);
      if (!pressed) continue;
      var bound = document.querySelector(KINDS[i]);
      if (bound && bound !== pressed) {
        event.preventDefault();
        event.stopImmediatePropagation();
        bound.click();
      }
      return;
    }
  }, true);
})();

/* Keyboard access to folded content that scrolls. The theme gives each scrollable code block or
   output a tab stop (tabindex 0) when the page loads and when its content changes, but a block
   inside a closed fold cannot scroll yet, and opening the fold changes no content, so a wide
   solution's code could be scrolled with a mouse only (axe: scrollable-region-focusable). When a
   fold opens, its blocks get the theme's rule again. */
(function () {
  var SCROLLABLE = "pre, .cell_output > .output, .pst-scrollable-table-container";
  function addTabStops(root) {
    root.querySelectorAll(SCROLLABLE).forEach(function (block) {
      if (block.scrollWidth > block.clientWidth || block.scrollHeight > block.clientHeight) block.tabIndex = 0;
    });
  }
  document.addEventListener("toggle", function (event) {
    if (event.target.open) addTabStops(event.target);
  }, true);
  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element) || !event.target.closest(".toggle-button")) return;
    setTimeout(function () { addTabStops(document.getElementById("main-content") || document); }, 0);
  });
})();
