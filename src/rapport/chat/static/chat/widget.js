// Rapport's chat widget: one script tag on the organisation's website, no framework, nothing
// fetched from anywhere but the Rapport that served it.
//
//   <script src="https://desk.example.co.uk/static/chat/widget.js" data-site="SITE-KEY" defer></script>
//
// Optional: data-language="cy" (Welsh), and for customers already signed in to the website
// data-identity-id, data-identity-email and data-identity-signature (HMAC: docs/chat.md).
// Every message carries a client id; what the server has not acknowledged is kept (in the tab's
// session storage) and sent again after a reconnect or a reload; each line has a seq, and the
// widget asks for the lines after the last it showed, so nothing is lost or shown twice.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__rapportChat) return;
  window.__rapportChat = true;
  var base = new URL(script.src, location.href).origin;
  var siteKey = script.getAttribute("data-site") || "";
  var language = script.getAttribute("data-language") === "cy" ? "cy" : "en";
  var identity = {
    id: script.getAttribute("data-identity-id") || "",
    email: script.getAttribute("data-identity-email") || "",
    signature: script.getAttribute("data-identity-signature") || ""
  };
  var storeKey = "rapport-chat:" + base + ":" + siteKey;
  var catalog = {};

  function gettext(s) { return catalog[s] || s; }
  function interpolate(s, values) { return s.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; }); }

  function load() {
    try { return JSON.parse(sessionStorage.getItem(storeKey) || "null") || {}; } catch (e) { return {}; }
  }
  function save() {
    try { sessionStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode: memory only */ }
  }
  var state = load(); // {token, seq, pending: [payloads], ended}
  state.pending = state.pending || [];
  state.seq = state.seq || 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function request(path, body) {
    var options = body === undefined ? {} : {method: "POST", body: JSON.stringify(body), headers: {"Content-Type": "text/plain"}};
    options.credentials = base === location.origin ? "same-origin" : "omit";
    return fetch(base + "/chat/w/" + encodeURIComponent(siteKey) + path, options).then(function (r) {
      return r.json().then(function (data) { return {ok: r.ok, status: r.status, data: data}; });
    });
  }

  var link = el("link", {rel: "stylesheet", href: base + "/static/chat/widget.css"});
  document.head.appendChild(link);

  var root, launcher, panel, body, announcer, config, socket, retry = 0, counter = 0;

  function clientId() {
    counter += 1;
    return "c" + Date.now().toString(36) + "-" + counter + "-" + Math.random().toString(36).slice(2, 8);
  }

  function announce(message) {
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = message; }, 50);
  }

  function field(id, label, control, hint) {
    control.id = id;
    var parts = [el("label", {"for": id, text: label})];
    if (hint) {
      var hintId = id + "-hint";
      control.setAttribute("aria-describedby", hintId);
      parts.push(el("p", {id: hintId, className: "rc-hint", text: hint}));
    }
    parts.push(control);
    parts.push(el("p", {id: id + "-error", className: "rc-error", hidden: "hidden"}));
    return el("div", {className: "rc-field"}, parts);
  }

  function showErrors(form, data) {
    form.querySelectorAll(".rc-error").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (c) { c.removeAttribute("aria-invalid"); });
    var first = null;
    (data.errors || []).forEach(function (e) {
      var control = form.querySelector("[name='" + e.field + "']");
      var slot = control && form.querySelector("#" + control.id + "-error");
      if (slot) {
        slot.textContent = e.message; slot.hidden = false;
        control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby", ((control.getAttribute("aria-describedby") || "") + " " + slot.id).trim());
        first = first || control;
      }
    });
    var summary = form.querySelector(".rc-summary");
    summary.textContent = data.detail || gettext("Please check the form.");
    summary.hidden = false;
    (first || summary).focus();
  }

  function build() {
    root = el("div", {className: "rapport-chat", lang: language});
    launcher = el("button", {type: "button", className: "rc-launcher", "aria-expanded": "false", "aria-controls": "rapport-chat-panel", text: gettext("Chat with us")});
    panel = el("section", {id: "rapport-chat-panel", className: "rc-panel", "aria-labelledby": "rapport-chat-title", hidden: "hidden"});
    var close = el("button", {type: "button", className: "rc-close", text: gettext("Close")});
    close.setAttribute("aria-label", gettext("Close the chat window"));
    body = el("div", {className: "rc-body"});
    announcer = el("p", {className: "rc-visually-hidden", role: "status", "aria-live": "polite"});
    panel.appendChild(el("div", {className: "rc-header"}, [el("h2", {id: "rapport-chat-title", text: gettext("Chat with us")}), close]));
    panel.appendChild(body);
    panel.appendChild(announcer);
    root.appendChild(launcher);
    root.appendChild(panel);
    document.body.appendChild(root);
    launcher.addEventListener("click", function () { toggle(panel.hidden); });
    close.addEventListener("click", function () { toggle(false); });
    panel.addEventListener("keydown", function (event) { if (event.key === "Escape") toggle(false); });
  }

  function toggle(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var first = panel.querySelector("input, textarea, select, button:not(.rc-close)");
      (first || panel.querySelector(".rc-close")).focus();
    } else {
      launcher.focus();
    }
  }

  function preChat() {
    body.replaceChildren();
    var form = el("form", {className: "rc-form", novalidate: "novalidate"});
    form.appendChild(el("p", {className: "rc-summary", role: "alert", tabindex: "-1", hidden: "hidden"}));
    if (config.expected_wait_seconds !== null && config.expected_wait_seconds !== undefined) {
      form.appendChild(el("p", {text: waitText(config.waiting + 1, config.expected_wait_seconds)}));
    }
    form.appendChild(field("rc-name", gettext("Your name"), el("input", {name: "name", type: "text", autocomplete: "name", maxlength: "200"})));
    form.appendChild(field("rc-email", gettext("Email address (optional)"), el("input", {name: "email", type: "email", autocomplete: "email", maxlength: "254", value: identity.email}), gettext("So we can send you the transcript or reply after the chat.")));
    form.appendChild(field("rc-topic", gettext("What is it about?"), el("input", {name: "topic", type: "text", maxlength: "200"})));
    if (config.adjustments.length) {
      var select = el("select", {name: "adjustment"}, [el("option", {value: "", text: gettext("No adjustment needed")})]);
      config.adjustments.forEach(function (a) { select.appendChild(el("option", {value: a, text: a})); });
      form.appendChild(field("rc-adjustment", gettext("I need an adjustment"), select, gettext("Tell us how we can make this chat work for you.")));
    }
    if (config.welsh) {
      var lang = el("select", {name: "language"}, [el("option", {value: "en", text: "English"}), el("option", {value: "cy", lang: "cy", text: "Cymraeg"})]);
      lang.value = language;
      form.appendChild(field("rc-language", gettext("Language"), lang));
    }
    var consent = el("input", {name: "consent", type: "checkbox", id: "rc-consent"});
    form.appendChild(el("div", {className: "rc-field rc-check"}, [
      el("p", {id: "rc-consent-text", text: config.consent_text}),
      consent, el("label", {"for": "rc-consent", text: gettext("I have read this")}),
      el("p", {id: "rc-consent-error", className: "rc-error", hidden: "hidden"})
    ]));
    consent.setAttribute("aria-describedby", "rc-consent-text");
    form.appendChild(el("button", {type: "submit", text: gettext("Start chat")}));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {
        name: form.elements.name.value, email: form.elements.email.value, topic: form.elements.topic.value,
        adjustment: form.elements.adjustment ? form.elements.adjustment.value : "",
        language: form.elements.language ? form.elements.language.value : language,
        consent: consent.checked
      };
      if (identity.signature) data.identity = identity;
      request("/start", data).then(function (r) {
        if (!r.ok) { showErrors(form, r.data); return; }
        state = {token: r.data.token, seq: 0, pending: [], ended: false, websocket: r.data.websocket};
        save();
        conversation();
        connect();
      }).catch(function () { announce(gettext("We could not reach the chat. Please try again.")); });
    });
    body.appendChild(form);
  }

  function offline() {
    body.replaceChildren();
    var form = el("form", {className: "rc-form", novalidate: "novalidate"});
    var why = config.reason === "closed" ? gettext("Chat is closed at the moment.") : gettext("Nobody is free to chat at the moment.");
    form.appendChild(el("p", {text: why + " " + gettext("Leave a message and we will reply by email.")}));
    form.appendChild(el("p", {className: "rc-summary", role: "alert", tabindex: "-1", hidden: "hidden"}));
    form.appendChild(field("rc-off-name", gettext("Your name"), el("input", {name: "name", type: "text", autocomplete: "name", maxlength: "200"})));
    form.appendChild(field("rc-off-email", gettext("Email address"), el("input", {name: "email", type: "email", autocomplete: "email", maxlength: "254", value: identity.email})));
    form.appendChild(field("rc-off-topic", gettext("What is it about?"), el("input", {name: "topic", type: "text", maxlength: "200"})));
    form.appendChild(field("rc-off-body", gettext("Your message"), el("textarea", {name: "body", rows: "4", maxlength: "5000"})));
    form.appendChild(el("button", {type: "submit", text: gettext("Send message")}));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      request("/offline", {
        name: form.elements.name.value, email: form.elements.email.value,
        topic: form.elements.topic.value, body: form.elements.body.value
      }).then(function (r) {
        if (!r.ok) { showErrors(form, r.data); return; }
        body.replaceChildren();
        var done = el("p", {tabindex: "-1", className: "rc-done", text: interpolate(gettext("Thank you. Your reference is %(reference)s. We will reply by email."), {reference: r.data.case})});
        body.appendChild(done);
        done.focus();
      });
    });
    body.appendChild(form);
  }

  function waitText(position, seconds) {
    if (seconds === null || seconds === undefined) return interpolate(gettext("You are number %(position)s in the queue."), {position: position});
    var minutes = Math.max(1, Math.round(seconds / 60));
    return interpolate(gettext("You are number %(position)s in the queue. Expected wait: about %(minutes)s min."), {position: position, minutes: minutes});
  }

  var log, statusLine, typingLine, input;

  function conversation() {
    body.replaceChildren();
    statusLine = el("p", {className: "rc-status"});
    log = el("div", {className: "rc-log", role: "log", "aria-live": "polite", "aria-label": gettext("Conversation"), tabindex: "0"});
    typingLine = el("p", {className: "rc-typing", "aria-live": "polite"});
    input = el("textarea", {name: "message", rows: "3", maxlength: "5000"});
    var form = el("form", {className: "rc-compose"}, [
      field("rc-message", gettext("Your message"), input, gettext("Press Enter to send, Shift and Enter for a new line.")),
      el("div", {className: "rc-actions"}, [
        el("button", {type: "submit", text: gettext("Send")}),
        el("button", {type: "button", className: "rc-secondary rc-end", text: gettext("End chat")})
      ])
    ]);
    var file = el("input", {type: "file", name: "file"});
    form.appendChild(field("rc-file", gettext("Send a file (optional)"), file, gettext("Photos, PDFs and documents, up to the size the desk allows.")));
    file.addEventListener("change", function () {
      if (!file.files.length) return;
      var data = new FormData();
      var cid = clientId();
      data.append("token", state.token);
      data.append("client_id", cid);
      data.append("file", file.files[0]);
      announce(gettext("Sending your file…"));
      fetch(base + "/chat/w/" + encodeURIComponent(siteKey) + "/upload", {method: "POST", body: data, credentials: base === location.origin ? "same-origin" : "omit"})
        .then(function (r) { return r.json().then(function (d) { return {ok: r.ok, data: d}; }); })
        .then(function (r) {
          file.value = "";
          if (!r.ok) { announce((r.data.errors && r.data.errors[0] && r.data.errors[0].message) || r.data.detail); return; }
          announce(gettext("Your file was sent."));
        })
        .catch(function () { announce(gettext("We could not send your file. Please try again.")); });
    });
    body.appendChild(statusLine);
    body.appendChild(log);
    body.appendChild(typingLine);
    body.appendChild(form);
    var typingSent = 0;
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    input.addEventListener("input", function () {
      if (Date.now() - typingSent > 3000) { typingSent = Date.now(); send({type: "typing"}); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      var payload = {type: "message", client_id: clientId(), body: text};
      state.pending.push(payload);
      save();
      showPending(payload);
      send(payload);
      input.value = "";
      input.focus();
    });
    form.querySelector(".rc-end").addEventListener("click", function () { send({type: "end"}); });
    state.pending.forEach(showPending);
  }

  function showPending(payload) {
    if (log.querySelector("[data-client-id='" + payload.client_id + "']")) return;
    var li = el("p", {className: "rc-mine rc-pending", "data-client-id": payload.client_id}, [
      el("span", {className: "rc-who", text: gettext("You") + ": "}), document.createTextNode(payload.body),
      el("span", {className: "rc-note", text: " (" + gettext("sending") + ")"})
    ]);
    log.appendChild(li);
  }

  function addLine(line) {
    if (line.seq <= state.seq) return;
    state.seq = line.seq;
    state.pending = state.pending.filter(function (p) { return p.client_id !== line.client_id; });
    save();
    var mine = line.sender === "customer";
    var existing = log.querySelector("[data-client-id='" + line.client_id + "']");
    var li = el("p", {className: mine ? "rc-mine" : "rc-theirs", "data-client-id": line.client_id}, [
      el("span", {className: "rc-who", text: (mine ? gettext("You") : line.name) + ": "}), document.createTextNode(line.body)
    ]);
    if (existing) existing.replaceWith(li); else log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    typingLine.textContent = "";
  }

  function ended() {
    state.ended = true;
    save();
    statusLine.textContent = gettext("The chat has ended.");
    var compose = body.querySelector(".rc-compose");
    if (compose) compose.remove();
    var form = el("form", {className: "rc-form rc-csat"});
    var fieldset = el("fieldset", {}, [el("legend", {text: gettext("How satisfied are you with this chat?")})]);
    [5, 4, 3, 2, 1].forEach(function (n) {
      var labels = {5: gettext("Very satisfied"), 4: gettext("Satisfied"), 3: gettext("Neither"), 2: gettext("Dissatisfied"), 1: gettext("Very dissatisfied")};
      var id = "rc-csat-" + n;
      fieldset.appendChild(el("div", {className: "rc-radio"}, [el("input", {type: "radio", name: "score", value: String(n), id: id}), el("label", {"for": id, text: labels[n]})]));
    });
    form.appendChild(fieldset);
    form.appendChild(field("rc-comment", gettext("Anything to add? (optional)"), el("textarea", {name: "comment", rows: "2", maxlength: "2000"})));
    var transcript = el("input", {type: "checkbox", name: "transcript", id: "rc-transcript"});
    form.appendChild(el("div", {className: "rc-field rc-check"}, [transcript, el("label", {"for": "rc-transcript", text: gettext("Email me the transcript")})]));
    form.appendChild(el("button", {type: "submit", text: gettext("Send feedback")}));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input[name=score]:checked");
      if (!chosen) { announce(gettext("Choose how satisfied you are.")); return; }
      send({type: "csat", score: parseInt(chosen.value, 10), comment: form.elements.comment.value, transcript: transcript.checked});
    });
    body.appendChild(form);
    announce(gettext("The chat has ended."));
  }

  function send(payload) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  function wsUrl() {
    if (state.websocket) return state.websocket;
    if (config && config.websocket) return config.websocket;
    return base.replace(/^http/, "ws") + "/ws/chat/";
  }

  function connect() {
    if (!state.token) return;
    socket = new WebSocket(wsUrl());
    socket.addEventListener("open", function () {
      retry = 0;
      send({type: "hello", token: state.token, after: state.seq});
      state.pending.forEach(send);
    });
    socket.addEventListener("message", function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "welcome") {
        data.lines.forEach(addLine);
        if (data.status === "ended") { ended(); return; }
        statusLine.textContent = data.status === "active"
          ? interpolate(gettext("You are chatting with %(name)s."), {name: data.agent || gettext("an adviser")})
          : (data.wait && data.wait.position ? waitText(data.wait.position, data.wait.seconds) : gettext("Waiting for an adviser."));
      } else if (data.type === "line") {
        var fromThem = data.sender !== "customer";
        addLine(data);
        if (fromThem) announce(interpolate(gettext("New message from %(name)s"), {name: data.name}));
      } else if (data.type === "ack") {
        state.pending = state.pending.filter(function (p) { return p.client_id !== data.client_id; });
        save();
        var pending = log.querySelector("[data-client-id='" + data.client_id + "'] .rc-note");
        if (pending) pending.remove();
      } else if (data.type === "typing") {
        typingLine.textContent = gettext("The adviser is typing…");
      } else if (data.type === "wait") {
        if (data.position) statusLine.textContent = waitText(data.position, data.seconds);
      } else if (data.type === "status") {
        if (data.status === "ended") ended();
        else if (data.status === "active") {
          statusLine.textContent = interpolate(gettext("You are chatting with %(name)s."), {name: data.agent || gettext("an adviser")});
          announce(statusLine.textContent);
        } else statusLine.textContent = gettext("You have been passed to a colleague. Please wait.");
      } else if (data.type === "thanks") {
        body.replaceChildren();
        var done = el("p", {tabindex: "-1", className: "rc-done", text: data.transcript_sent ? gettext("Thank you. We have emailed you the transcript.") : gettext("Thank you for your feedback.")});
        body.appendChild(done);
        done.focus();
        try { sessionStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
      } else if (data.type === "error") {
        if (data.client_id) {
          state.pending = state.pending.filter(function (p) { return p.client_id !== data.client_id; });
          save();
        }
        announce(data.detail);
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4404 || event.code === 4403) {
        try { sessionStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
        state = {pending: [], seq: 0};
        statusLine.textContent = gettext("This chat is no longer available.");
        return;
      }
      if (state.ended && !state.pending.length) return;
      statusLine.textContent = gettext("Reconnecting…");
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * Math.pow(2, retry - 1));
    });
  }

  function start() {
    build();
    if (state.token) {
      conversation();
      if (state.ended) ended(); else connect();
      return;
    }
    request("/config?language=" + language).then(function (r) {
      if (!r.ok) { root.remove(); return; }
      config = r.data;
      if (config.open) preChat(); else offline();
    });
  }

  fetch(base + "/chat/jsi18n/?language=" + language).then(function (r) { return r.json(); }).then(function (data) {
    catalog = data.catalog || {};
  }).catch(function () { /* English as written */ }).then(function () {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  });
})();
