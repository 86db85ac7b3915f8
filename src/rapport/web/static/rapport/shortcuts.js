// Single-key shortcuts on the desk: j/k move through the queue (Enter opens, as the link's own key),
// r reply, n note, a assign, m macro, / search, ? help. WCAG 2.1.4: each person turns them off or
// chooses other keys on /preferences/shortcuts/; the page gives that choice in <body data-shortcuts>.
// Elements say what they are for with data-shortcut-action="reply|note|assign|macro"; a container
// with the attribute gives focus to its first field. Keys typed into a field, or pressed with
// Ctrl, Alt or Cmd, are never taken. Everything works without this script.
(function () {
  "use strict";

  var settings;
  try {
    settings = JSON.parse(document.body.getAttribute("data-shortcuts") || "null");
  } catch (ignored) {
    return;
  }
  if (!settings) return;

  var search = document.getElementById("global-search");
  if (search) {
    // What the search box tells people must match what the key does for them.
    if (settings.enabled && settings.keys.search) {
      search.setAttribute("aria-keyshortcuts", settings.keys.search);
      search.setAttribute("placeholder", "Search (press " + settings.keys.search + ")");
    } else {
      search.removeAttribute("aria-keyshortcuts");
      search.setAttribute("placeholder", "Search");
    }
  }
  if (!settings.enabled) return;

  var actionFor = {};
  Object.keys(settings.keys).forEach(function (action) { actionFor[settings.keys[action]] = action; });

  function announce(text) {
    var status = document.getElementById("shortcut-status");
    if (!status) return;
    // Emptied first, so the same words twice are still read out.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 30);
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName)) return true;
    return target.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(target.type);
  }

  // --- the queue: move through rows, Enter opens the focused link --------------------------------
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#results tbody tr"));
  }

  function move(step) {
    var list = rows();
    if (!list.length) return false;
    var at = list.indexOf(document.activeElement && document.activeElement.closest("tr"));
    var index = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + step));
    list.forEach(function (row) { row.classList.remove("is-current"); });
    var row = list[index];
    row.classList.add("is-current");
    var link = row.querySelector("th a");
    if (link) { link.focus(); }
    announce("Case " + (link ? link.textContent : "") + " selected, " + (index + 1) + " of " + list.length);
    return true;
  }

  // --- the case page: go to the reply, the note, the owner, the macros ------------------------------
  function act(action) {
    var target = document.querySelector('[data-shortcut-action="' + action + '"]');
    if (!target) return false;
    if (!/^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(target.tagName)) {
      var field = target.querySelector("textarea, select, input:not([type=hidden]), button, a[href]");
      if (field) {
        target = field;
      } else if (!target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
    }
    target.focus();
    announce(settings.labels[action].replace(/ \(.*\)$/, ""));
    return true;
  }

  // --- help: the bindings this person has ----------------------------------------------------------
  function help() {
    var dialog = document.getElementById("shortcut-help");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "shortcut-help";
      dialog.setAttribute("aria-labelledby", "shortcut-help-title");
      var title = document.createElement("h2");
      title.id = "shortcut-help-title";
      title.textContent = "Keyboard shortcuts";
      var list = document.createElement("dl");
      Object.keys(settings.keys).forEach(function (action) {
        var key = document.createElement("dt");
        var kbd = document.createElement("kbd");
        kbd.textContent = settings.keys[action];
        key.appendChild(kbd);
        var what = document.createElement("dd");
        what.textContent = settings.labels[action];
        list.appendChild(key);
        list.appendChild(what);
      });
      var enter = document.createElement("p");
      enter.textContent = "Enter opens the selected case. Shortcuts do nothing while you type in a field.";
      var change = document.createElement("a");
      change.href = settings.preferences;
      change.textContent = "Turn shortcuts off or change the keys";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.addEventListener("click", function () { dialog.close(); });
      [title, list, enter, change, close].forEach(function (part) { dialog.appendChild(part); });
      document.body.appendChild(dialog);
    }
    if (!dialog.open) { dialog.showModal(); }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    var action = actionFor[event.key];
    var done = false;
    if (action === "next") { done = move(1); }
    else if (action === "previous") { done = move(-1); }
    else if (action === "search") { done = Boolean(search); if (search) { search.focus(); } }
    else if (action === "help") { done = help(); }
    else if (action) { done = act(action); }
    if (done) { event.preventDefault(); }
  });
})();
