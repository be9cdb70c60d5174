/* Added to the search page only by review_evidence/sphinxext/page_shell.py.

   Sphinx's search shows, under each hit, text taken from the page's [role="main"] element. In this
   theme that element starts with the article's toolbar (the download menu ".ipynb .pdf") and the
   contents list, so a hit whose stemmed term is not found verbatim read "....ipynb .pdf". The
   summary is taken from the article itself instead, without its code cells or the "Run this
   chapter" box (whose "notebooks/<name>.ipynb" would stand in for the page's text). */
(function () {
  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
  var sphinxHtmlToText = Search.htmlToText;
  Search.htmlToText = function (htmlString, anchor) {
    var page = new DOMParser().parseFromString(htmlString, "text/html");
    var article = page.querySelector("article.bd-article");
    if (!article) return sphinxHtmlToText(htmlString, anchor);
    article.querySelectorAll(".headerlink, script, style, .cell_input, .vega-embed, .classroom-run").forEach(function (element) {
      element.remove();
    });
    var part = anchor ? article.querySelector(anchor) : null;
    return (part || article).textContent.replace(/\s+/g, " ").trim();
  };
})();
