// The reply box's article finder: "Insert text" and "Insert link" put the article into the reply
// at the cursor (the text comes from the server, placeholders filled for this case).
(function () {
  "use strict";
  if (window.rapportKbInsert) return;
  window.rapportKbInsert = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kb-insert]");
    if (!button) return;
    event.preventDefault();
    var reply = document.querySelector("#reply-form textarea");
    var status = button.parentNode.querySelector(".kb-linked");
    if (!reply) return;
    fetch(button.getAttribute("data-kb-insert"), { credentials: "same-origin" })
      .then(function (response) { return response.text().then(function (text) { return { ok: response.ok, text: text }; }); })
      .then(function (answer) {
        if (!answer.ok) { if (status) status.textContent = answer.text; return; }
        var start = reply.selectionStart || 0, end = reply.selectionEnd || 0, value = reply.value;
        var before = value.slice(0, start), gap = before && !/\n$/.test(before) ? "\n\n" : "";
        reply.value = before + gap + answer.text + value.slice(end);
        var caret = (before + gap + answer.text).length;
        reply.focus();
        reply.setSelectionRange(caret, caret);
        if (status) status.textContent = "Inserted into your reply.";
      });
  });
})();
