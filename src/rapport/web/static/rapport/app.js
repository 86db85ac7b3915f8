// Rapport's own small script: htmx settings, focus after a form and the queue's action bar (keyboard
// shortcuts are shortcuts.js). Everything works without it.
(function () {
  "use strict";

  if (window.htmx) {
    // The Content-Security-Policy forbids inline styles; app.css styles the request indicators.
    htmx.config.includeIndicatorStyles = false;
    // Form answers with errors (400 bad filters, 409 conflict, 413 too large, 422 invalid, 429 too
    // many attempts) carry the page to show, so swap them in like a success.
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(400|409|413|422|429)", swap: true, error: false },
      { code: "[45]..", swap: false, error: true }
    ];
  }

  // Filters left at "any" add nothing to the address, so pushed URLs stay short and shareable.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (name) {
      if (parameters[name] === "") { delete parameters[name]; }
    });
  });

  // Take people to the first problem on a page, as a screen reader or keyboard user needs.
  function focusProblem(root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) { summary.focus(); }
    return Boolean(summary);
  }

  // After sending something, take people to what they sent (the element a status message names
  // with data-focus, or the #fragment of the address), else to the status message itself: never
  // back to the top of the page.
  function focusOutcome() {
    var named = document.querySelector(".flash [data-focus]");
    var id = named ? named.getAttribute("data-focus") : window.location.hash.slice(1);
    var target = id ? document.getElementById(id) : null;
    if (!target) { target = document.querySelector(".flash"); }
    if (!target) return;
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!focusProblem(document) && (window.location.hash || document.querySelector(".flash"))) { focusOutcome(); }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !document.body.contains(target)) { target = document; }
    var posted = event.detail && event.detail.requestConfig && event.detail.requestConfig.verb === "post";
    if (!focusProblem(target) && posted) { focusOutcome(); }
  });

  // The queue's action bar: "select every case on this page" ticks the rows too, and the bar says
  // how many are ticked. Without this script the server reads the same choice from the form.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.type !== "checkbox" || box.form === null || box.getAttribute("form") !== "bulk") return;
    var rows = document.querySelectorAll('input[name="case"][form="bulk"]');
    var all = document.getElementById("select-all");
    if (box === all) {
      Array.prototype.forEach.call(rows, function (row) { row.checked = all.checked; });
    } else if (all && !box.checked) {
      all.checked = false;
    }
    var ticked = Array.prototype.filter.call(rows, function (row) { return row.checked; }).length;
    var count = document.getElementById("bulk-selected");
    if (count) { count.textContent = ticked ? ticked + " case" + (ticked === 1 ? "" : "s") + " ticked" : ""; }
  });

  // After a bulk action, take people to what happened to each case.
  document.addEventListener("DOMContentLoaded", function () {
    var outcome = document.getElementById("bulk-outcome");
    if (outcome && !document.querySelector(".error-summary")) { outcome.focus(); }
  });
})();
