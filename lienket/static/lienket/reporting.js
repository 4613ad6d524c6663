/* LienKet reporting: a form marked data-wait-htmx (the entry form's "Lưu nháp", the workflow buttons) waits
   until the row saves HTMX has in flight are answered before it is sent, so leaving a field by pressing
   "Gửi" never races the save of that field. A submit is never dropped without a word: while it waits the form
   says so (data-wait-message); if one of the awaited saves is refused (an invalid value, a conflict) the
   submit is not sent and the form says why (data-wait-failed), the row shows its own error. Without
   JavaScript the forms are plain POSTs and the server checks everything again. */
(function () {
  "use strict";
  var inFlight = new Set(); // the XMLHttpRequests of row saves not answered yet
  var failedWhileWaiting = false;
  var waiting = null; // {form, submitter: {name, value} | null}

  function statusOf(form) {
    var el = form.querySelector("[data-wait-status]");
    if (!el) {
      el = document.createElement("p");
      el.setAttribute("data-wait-status", "");
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      el.setAttribute("data-testid", "wait-status");
      el.className = "small";
      form.appendChild(el);
    }
    return el;
  }

  function say(form, text, isError) {
    var el = statusOf(form);
    el.textContent = text || "";
    el.classList.toggle("error", !!isError);
    el.classList.toggle("muted", !isError);
  }

  function buttonFor(form, submitter) {
    if (!submitter) { return null; }
    var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
    for (var i = 0; i < buttons.length; i += 1) {
      if (buttons[i].name === submitter.name && buttons[i].value === submitter.value) { return buttons[i]; }
    }
    return null;
  }

  function release() {
    if (inFlight.size > 0 || !waiting) { return; }
    var w = waiting;
    waiting = null;
    if (failedWhileWaiting) {
      failedWhileWaiting = false;
      say(w.form, w.form.getAttribute("data-wait-failed"), true);
      return;
    }
    say(w.form, "", false);
    w.form.dataset.htmxReleased = "1";
    var button = buttonFor(w.form, w.submitter); // the button again: an HTMX swap may have replaced it
    if (typeof w.form.requestSubmit === "function") {
      w.form.requestSubmit(button || undefined);
    } else {
      if (button && button.name) { // form.submit() sends no submitter: add its name=value
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = button.name;
        hidden.value = button.value;
        w.form.appendChild(hidden);
      }
      w.form.submit();
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr) { inFlight.add(xhr); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail || {};
    if (detail.xhr) { inFlight.delete(detail.xhr); }
    if (waiting && (!detail.successful || (detail.xhr && detail.xhr.status >= 400))) {
      failedWhileWaiting = true;
    }
    window.setTimeout(release, 0);
  });

  // A row save also refreshes the checks shown under the other rows (out of band). A row whose fields the person
  // has changed and not yet saved keeps its own: those checks are about the stored value, not about what is typed
  // (no "required" under a value just typed); its own save brings the right ones back.
  function fieldValue(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    return el.type === "checkbox" ? (el.checked ? "1" : "0") : el.value.trim();
  }
  function edited(key) {
    var seen = document.querySelector("input[name='seen-" + key + "']");
    var value = fieldValue("value-" + key);
    if (!seen || value === null) { return false; }
    return value + "|" + fieldValue("estimate-" + key) + "|" + (fieldValue("comment-" + key) || "") !== seen.value;
  }
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id || target.id.indexOf("rules-") !== 0) { return; }
    if (edited(target.id.slice("rules-".length))) { event.detail.shouldSwap = false; }
  });
  // While a row's value is being changed, the checks of its stored value are hidden (they come back with the
  // row once it is saved, or at once if the person puts the stored value back).
  document.addEventListener("input", function (event) {
    var el = event.target;
    var match = el && el.id ? /^(?:value|comment|estimate)-(.+)$/.exec(el.id) : null;
    var rules = match ? document.getElementById("rules-" + match[1]) : null;
    if (rules) { rules.hidden = edited(match[1]); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-wait-htmx")) { return; }
    if (form.dataset.htmxReleased === "1") { delete form.dataset.htmxReleased; return; }
    if (inFlight.size > 0) {
      event.preventDefault();
      var submitter = event.submitter || null;
      if (!waiting) { failedWhileWaiting = false; }
      waiting = { form: form, submitter: submitter ? { name: submitter.name, value: submitter.value } : null };
      say(form, form.getAttribute("data-wait-message"), false);
    }
  }, true);
})();
