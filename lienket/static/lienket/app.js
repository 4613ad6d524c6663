/* LienKet: small behaviours that used to be inline event handlers (the Content-Security-Policy allows no
   inline script). Delegated on the document, so they also work on content HTMX swaps in. */
(function () {
  "use strict";
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("input[data-select-on-focus]")) { el.select(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("[data-copy-from]") : null;
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-copy-from"));
    if (!input) { return; }
    input.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(input.value); }
    if (button.dataset.done) { button.textContent = button.dataset.done; }
  });
})();
