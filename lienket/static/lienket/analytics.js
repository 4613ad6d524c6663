/* LienKet analytics: draw every chart whose figure (plotly JSON) sits in a <script type="application/json">
   block named by data-chart — no inline script (CSP). Vietnamese separators come in the figure's layout. */
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var block = document.getElementById(el.getAttribute("data-chart"));
      if (!block) { return; }
      var fig = JSON.parse(block.textContent);
      window.Plotly.newPlot(el, fig.data, fig.layout, {displaylogo: false, displayModeBar: false, responsive: true, locale: "vi"});
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
