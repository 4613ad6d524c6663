/* LienKet analytics: draw every chart whose figure (plotly JSON) sits in its data-figure attribute — no inline
   script (CSP). Vietnamese separators come in the figure's layout. */
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var fig = JSON.parse(el.getAttribute("data-figure"));
      window.Plotly.newPlot(el, fig.data, fig.layout, {displaylogo: false, displayModeBar: false, responsive: true, locale: "vi"});
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
