/* LienKet reporting: a form marked data-wait-htmx (the entry form's "Lưu nháp", the workflow buttons) waits
   until the row saves HTMX has in flight are answered before it is sent, so leaving a field by pressing
   "Gửi" never races the save of that field. Without JavaScript the forms are plain POSTs. */
(function () {
  "use strict";
  var inFlight = 0;
  var waiting = null; // {form, submitter}

  function release() {
    if (inFlight > 0 || !waiting) { return; }
    var w = waiting;
    waiting = null;
    w.form.dataset.htmxReleased = "1";
    if (typeof w.form.requestSubmit === "function") {
      w.form.requestSubmit(w.submitter || undefined);
    } else {
      w.form.submit();
    }
  }

  document.addEventListener("htmx:beforeRequest", function () { inFlight += 1; });
  document.addEventListener("htmx:afterRequest", function () {
    inFlight = Math.max(0, inFlight - 1);
    window.setTimeout(release, 0);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-wait-htmx")) { return; }
    if (form.dataset.htmxReleased === "1") { delete form.dataset.htmxReleased; return; }
    if (inFlight > 0) {
      event.preventDefault();
      waiting = { form: form, submitter: event.submitter || null };
    }
  }, true);
})();
