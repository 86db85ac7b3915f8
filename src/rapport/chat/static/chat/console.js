// The agent's chat console: the waiting queue and the agent's chats over one WebSocket.
// Every message carries a client id; what the server has not acknowledged is sent again after a
// reconnect, and each chat remembers the last line (seq) it showed, so nothing is lost or doubled.
(function () {
  "use strict";
  var root = document.getElementById("chat-console");
  if (!root) return;
  var url = root.getAttribute("data-websocket");
  var status = document.getElementById("console-connection");
  var queue = document.getElementById("queue");
  var queueCount = document.getElementById("queue-count");
  var panels = document.getElementById("chats");
  var empty = document.getElementById("chats-empty");
  var template = document.getElementById("chat-template");
  var available = document.getElementById("available");
  var socket = null;
  var retry = 0;
  var chats = {}; // id -> {seq, panel, pending: {client_id: payload}}
  var counter = 0;

  function clientId() {
    counter += 1;
    return "a" + Date.now().toString(36) + "-" + counter + "-" + Math.random().toString(36).slice(2, 8);
  }

  function send(payload) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  function text(el, value) { el.textContent = value; return el; }

  function renderQueue(items) {
    queue.replaceChildren();
    queueCount.textContent = "(" + items.length + ")";
    if (!items.length) {
      var li = text(document.createElement("li"), "Nobody is waiting.");
      li.className = "empty";
      queue.appendChild(li);
      return;
    }
    items.forEach(function (chat) {
      var li = document.createElement("li");
      li.setAttribute("data-chat", chat.id);
      li.appendChild(document.createTextNode(chat.customer + ": " + chat.topic + " "));
      if (chat.language === "cy") {
        var tag = text(document.createElement("span"), "Cymraeg");
        tag.className = "tag"; tag.lang = "cy";
        li.appendChild(tag);
      }
      if (chat.adjustment) li.appendChild(text(document.createElement("span"), " Adjustment: " + chat.adjustment));
      var button = document.createElement("button");
      button.type = "button"; button.className = "secondary";
      button.setAttribute("data-accept", chat.id);
      button.textContent = "Take";
      var hidden = text(document.createElement("span"), " the chat with " + chat.customer);
      hidden.className = "visually-hidden";
      button.appendChild(hidden);
      li.appendChild(button);
      queue.appendChild(li);
    });
  }

  function addLine(chat, line) {
    var state = chats[chat];
    if (!state || line.seq <= state.seq) return; // already shown
    state.seq = line.seq;
    delete state.pending[line.client_id];
    var li = document.createElement("p");
    li.className = line.sender === "note" ? "note" : (line.sender === "agent" ? "from-agent" : "from-customer");
    var who = line.sender === "note" ? "Internal note, " + line.name : line.name;
    var strong = text(document.createElement("strong"), who + ": ");
    li.appendChild(strong);
    li.appendChild(document.createTextNode(line.body));
    var log = state.panel.querySelector(".transcript");
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    state.panel.querySelector(".typing").textContent = "";
  }

  function openChat(chat) {
    if (chats[chat.id]) {
      (chat.lines || []).forEach(function (l) { addLine(chat.id, l); });
      return;
    }
    var panel = template.content.firstElementChild.cloneNode(true);
    var titleId = "chat-title-" + chat.id;
    panel.setAttribute("aria-labelledby", titleId);
    panel.setAttribute("data-chat", chat.id);
    var title = panel.querySelector(".chat-title");
    title.id = titleId;
    title.textContent = chat.customer + ": " + chat.topic;
    var meta = [chat.case];
    if (chat.language === "cy") meta.push("Welsh");
    if (chat.adjustment) meta.push("Adjustment: " + chat.adjustment);
    meta.push(chat.verified ? "Identity confirmed" : "Identity not confirmed");
    panel.querySelector(".chat-meta").textContent = meta.join(" · ");
    panel.querySelector(".case-link").href = "/cases/" + chat.case + "/";
    var reply = panel.querySelector("textarea");
    reply.id = "reply-" + chat.id;
    panel.querySelector(".reply-label").htmlFor = reply.id;
    var select = panel.querySelector("select");
    select.id = "transfer-" + chat.id;
    panel.querySelector(".transfer-label").htmlFor = select.id;
    panel.querySelector(".transcript").setAttribute("aria-label", "Conversation with " + chat.customer);
    var history = panel.querySelector(".history");
    (chat.history || []).forEach(function (h) {
      var li = document.createElement("li");
      var a = text(document.createElement("a"), h.case + " " + h.subject + " (" + h.status.replace(/_/g, " ") + ")");
      a.href = "/cases/" + h.case + "/";
      li.appendChild(a);
      history.appendChild(li);
    });
    if (!(chat.history || []).length) history.appendChild(text(document.createElement("li"), "No other cases."));
    chats[chat.id] = {seq: 0, panel: panel, pending: {}};
    panels.appendChild(panel);
    empty.hidden = true;
    (chat.lines || []).forEach(function (l) { addLine(chat.id, l); });
    var typingSent = 0;
    reply.addEventListener("input", function () {
      if (Date.now() - typingSent > 3000) { typingSent = Date.now(); send({type: "typing", chat: chat.id}); }
    });
    panel.querySelector(".chat-reply").addEventListener("submit", function (event) {
      event.preventDefault();
      var kind = (event.submitter && event.submitter.value) || "message";
      var body = reply.value.trim();
      if (!body) return;
      var payload = {type: kind, chat: chat.id, client_id: clientId(), body: body};
      chats[chat.id].pending[payload.client_id] = payload;
      send(payload);
      reply.value = "";
      reply.focus();
    });
    panel.querySelector(".chat-transfer").addEventListener("submit", function (event) {
      event.preventDefault();
      var parts = select.value.split(":");
      if (parts.length !== 2) return;
      var payload = {type: "transfer", chat: chat.id};
      payload[parts[0] === "user" ? "to_user" : "to_team"] = parseInt(parts[1], 10);
      send(payload);
    });
    panel.querySelector(".end-chat").addEventListener("click", function () {
      send({type: "end", chat: chat.id});
    });
  }

  function closeChat(id, why) {
    var state = chats[id];
    if (!state) return;
    state.panel.remove();
    delete chats[id];
    empty.hidden = Object.keys(chats).length > 0;
    status.textContent = why;
  }

  function connect() {
    status.textContent = "Connecting…";
    socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      retry = 0;
      status.textContent = "Connected.";
      var after = {};
      Object.keys(chats).forEach(function (id) { after[id] = chats[id].seq; });
      send({type: "hello", available: available.checked, after: after});
      Object.keys(chats).forEach(function (id) {
        Object.keys(chats[id].pending).forEach(function (cid) { send(chats[id].pending[cid]); });
      });
    });
    socket.addEventListener("message", function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "welcome") {
        renderQueue(data.queue);
        data.chats.forEach(openChat);
      } else if (data.type === "queue") {
        renderQueue(data.queue);
      } else if (data.type === "opened") {
        openChat(data.chat);
        var box = chats[data.chat.id] && chats[data.chat.id].panel.querySelector("textarea");
        status.textContent = "Chat with " + data.chat.customer + " opened.";
        if (box) box.focus();
      } else if (data.type === "line") {
        addLine(data.chat, data);
      } else if (data.type === "ack") {
        if (chats[data.chat]) delete chats[data.chat].pending[data.client_id];
      } else if (data.type === "typing") {
        if (chats[data.chat]) chats[data.chat].panel.querySelector(".typing").textContent = "The customer is typing…";
      } else if (data.type === "status") {
        if (data.status === "ended" && chats[data.chat]) {
          var log = chats[data.chat].panel.querySelector(".transcript");
          log.appendChild(text(document.createElement("p"), "The chat has ended."));
        }
      } else if (data.type === "closed") {
        closeChat(data.chat, "Chat transferred.");
      } else if (data.type === "error") {
        if (data.chat && chats[data.chat] && data.client_id) delete chats[data.chat].pending[data.client_id];
        status.textContent = data.detail;
      }
    });
    socket.addEventListener("close", function () {
      status.textContent = "Connection lost: reconnecting…";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * Math.pow(2, retry - 1));
    });
  }

  queue.addEventListener("click", function (event) {
    var button = event.target.closest("[data-accept]");
    if (button) send({type: "accept", chat: parseInt(button.getAttribute("data-accept"), 10)});
  });
  available.addEventListener("change", function () { send({type: "hello", available: available.checked, after: {}}); });
  setInterval(function () { send({type: "ping"}); }, 60000);
  connect();
})();
