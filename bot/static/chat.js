// Citizen chat widget. All text is inserted with textContent: nothing the bot or the user writes is
// ever interpreted as HTML.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  const status = document.getElementById("status");
  let conversationId = sessionStorage.getItem("kommunsvar.conversation") || null;

  function add(kind, text) {
    const item = document.createElement("li");
    item.className = "msg " + kind;
    item.textContent = text;
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function addMeta(item, text) {
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = text;
    item.appendChild(meta);
  }

  function addButtons(item, buttons) {
    const row = document.createElement("div");
    row.className = "buttons";
    buttons.forEach(function (b) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", function () { send(b.payload, b.title); });
      row.appendChild(button);
    });
    item.appendChild(row);
  }

  async function send(text, shownText) {
    add("user", shownText || text);
    status.textContent = "Assistenten svarar …";
    form.querySelector("button").disabled = true;
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ conversation_id: conversationId, text: text }),
      });
      const body = await response.json();
      if (!response.ok) {
        add("error", (body.error && body.error.message) || "Något gick fel. Försök igen.");
        return;
      }
      conversationId = body.conversation_id;
      sessionStorage.setItem("kommunsvar.conversation", conversationId);
      body.messages.forEach(function (m, i) {
        const item = add("bot", m.text);
        if (m.buttons && m.buttons.length) { addButtons(item, m.buttons); }
        if (i === body.messages.length - 1) {
          addMeta(item, "Svar-ID: " + body.audit_id + (m.source ? " · Källa: " + m.source.article_id +
            " (version " + m.source.version + ")" : ""));
        }
      });
    } catch (err) {
      add("error", "Chatten kan inte nås just nu. Försök igen om en stund.");
    } finally {
      status.textContent = "";
      form.querySelector("button").disabled = false;
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { status.textContent = "Skriv en fråga innan du skickar."; return; }
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
})();
