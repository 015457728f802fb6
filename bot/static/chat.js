// Citizen chat widget. All text is inserted with textContent: nothing the bot or the user writes is
// ever interpreted as HTML. Every answer carries its Svar-ID, "Hjälpte svaret? Ja / Nej" (POST
// /api/feedback, a reason from a fixed list on "Nej", never free text) and a "Stämmer inte svaret?" form
// that creates a case (POST /api/cases). Below the chat, "Hur nöjd är du?" (1–5) rates the conversation.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  const status = document.getElementById("status");
  let conversationId = sessionStorage.getItem("kommunsvar.conversation") || null;
  let lastLanguage = null;
  let contestCount = 0;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function add(kind, text) {
    const item = el("li", { "class": "msg " + kind }, text);
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function addMeta(item, text) {
    item.appendChild(el("span", { "class": "meta" }, text));
  }

  // A website answer: the label and a link to the page it was taken from (http(s) links only).
  function addSiteSource(item, source) {
    const line = el("p", { "class": "site-source" }, (source.label || "Från kommunens webbplats") + ": ");
    if (/^https?:\/\//.test(source.page_url)) {
      const link = el("a", { href: source.page_url, rel: "noopener" }, source.page_title || source.page_url);
      line.appendChild(link);
    } else {
      line.appendChild(document.createTextNode(source.page_title || ""));
    }
    item.appendChild(line);
  }

  function sourceNote(source) {
    if (!source) { return ""; }
    if (source.page_url) { return " · Källa: kommunens webbplats"; }
    if (source.policy) { return " · Källa: kommunens svarspolicy"; }
    if (source.article_id) { return " · Källa: " + source.article_id + " (version " + source.version + ")"; }
    return "";
  }

  function addButtons(item, buttons) {
    const row = el("div", { "class": "buttons" });
    buttons.forEach(function (b) {
      const button = el("button", { type: "button" }, b.title);
      button.addEventListener("click", function () { send(b.payload, b.title, lastLanguage); });
      row.appendChild(button);
    });
    item.appendChild(row);
  }

  function swedishDate(iso) {
    const d = new Date(iso + "T12:00:00");
    if (isNaN(d.getTime())) { return iso; }
    const months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
      "september", "oktober", "november", "december"];
    return d.getDate() + " " + months[d.getMonth()] + " " + d.getFullYear();
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  // The "Stämmer inte svaret?" link and its form under one answer.
  function addContest(item, auditId, contestToken) {
    const n = ++contestCount;
    const toggle = el("button", { type: "button", "class": "link contest-toggle", "aria-expanded": "false",
      "aria-controls": "contest-" + n }, "Stämmer inte svaret?");
    const box = el("form", { id: "contest-" + n, "class": "contest", hidden: "", novalidate: "",
      "aria-labelledby": "contest-title-" + n });
    box.appendChild(el("p", { id: "contest-title-" + n, "class": "contest-title" }, "Stämmer inte svaret?"));
    box.appendChild(el("p", { "class": "hint" },
      "Berätta vad som är fel. En handläggare ser vilket svar du fick och varför (Svar-ID " + auditId + ")."));
    box.appendChild(el("label", { "for": "contest-msg-" + n }, "Vad är fel?"));
    const message = el("textarea", { id: "contest-msg-" + n, name: "message", rows: "3", maxlength: "2000",
      required: "" });
    box.appendChild(message);
    const fields = el("fieldset", {});
    fields.appendChild(el("legend", {}, "Vill du ha svar? Lämna e-post eller telefon (frivilligt)"));
    fields.appendChild(el("label", { "for": "contest-email-" + n }, "E-post"));
    const email = el("input", { id: "contest-email-" + n, type: "email", name: "email", autocomplete: "email",
      maxlength: "254" });
    fields.appendChild(email);
    fields.appendChild(el("label", { "for": "contest-phone-" + n }, "Telefon"));
    const phone = el("input", { id: "contest-phone-" + n, type: "tel", name: "phone", autocomplete: "tel",
      maxlength: "32" });
    fields.appendChild(phone);
    box.appendChild(fields);
    box.appendChild(el("p", { "class": "hint" }, "Skriv inte personnummer eller uppgifter om hälsa. " +
      "Kontaktuppgiften sparas krypterad, används bara för att svara dig och raderas när ärendet är klart."));
    const actions = el("div", { "class": "buttons" });
    const submit = el("button", { type: "submit" }, "Skicka");
    const cancel = el("button", { type: "button" }, "Avbryt");
    actions.appendChild(submit);
    actions.appendChild(cancel);
    box.appendChild(actions);
    const note = el("p", { "class": "contest-status", role: "status", "aria-live": "polite" });
    box.appendChild(note);
    const key = newKey();

    function open(show) {
      box.hidden = !show;
      toggle.setAttribute("aria-expanded", show ? "true" : "false");
      if (show) { message.focus(); } else { toggle.focus(); }
    }
    toggle.addEventListener("click", function () { open(box.hidden); });
    cancel.addEventListener("click", function () { open(false); });

    box.addEventListener("submit", async function (event) {
      event.preventDefault();
      [message, email, phone].forEach(function (f) { f.removeAttribute("aria-invalid"); });
      if (!message.value.trim()) {
        message.setAttribute("aria-invalid", "true");
        note.textContent = "Skriv vad som är fel innan du skickar.";
        message.focus();
        return;
      }
      const contact = {};
      if (email.value.trim()) { contact.email = email.value.trim(); }
      if (phone.value.trim()) { contact.phone = phone.value.trim(); }
      const body = { audit_id: auditId, contest_token: contestToken, message: message.value, idempotency_key: key,
        conversation_id: conversationId };
      if (contact.email || contact.phone) { body.contact = contact; }
      submit.disabled = true;
      note.textContent = "Skickar …";
      try {
        const response = await fetch("/api/cases", { method: "POST",
          headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        const result = await response.json();
        if (!response.ok) {
          const msg = (result.error && result.error.message) || "Något gick fel. Försök igen.";
          note.textContent = msg;
          const bad = msg.indexOf("contact.email") >= 0 ? email : msg.indexOf("contact.phone") >= 0 ? phone : null;
          if (bad) { bad.setAttribute("aria-invalid", "true"); bad.focus(); }
          return;
        }
        const done = el("div", { "class": "contest-done", role: "status", tabindex: "-1" });
        done.appendChild(el("p", {}, "Tack! Ditt ärende har nummer " + result.case_id + "."));
        done.appendChild(el("p", {}, "Vi bekräftar att vi har fått det senast " +
          swedishDate(result.ack_deadline) + " och svarar senast " + swedishDate(result.reply_deadline) + "."));
        if (!result.contact) {
          done.appendChild(el("p", {}, "Du lämnade ingen kontaktuppgift, så vi kan inte svara dig, " +
            "men en handläggare granskar svaret."));
        }
        box.replaceWith(done);
        toggle.remove();
        done.focus();
      } catch (err) {
        note.textContent = "Det gick inte att skicka just nu. Försök igen om en stund.";
      } finally {
        submit.disabled = false;
      }
    });
    item.appendChild(toggle);
    item.appendChild(box);
  }

  // The reasons of cases/feedback.py (REASONS), in the reply's language.
  const FEEDBACK = {
    sv: { question: "Hjälpte svaret?", yes: "Ja", no: "Nej", why: "Vad var fel? (frivilligt)",
      thanks: "Tack! Ditt svar hjälper kommunen att förbättra chatten.", failed: "Det gick inte att skicka. Försök igen.",
      reasons: [["wrong", "Svaret var fel"], ["not_my_question", "Det svarade inte på min fråga"],
        ["unclear", "Svaret var svårt att förstå"], ["outdated", "Informationen verkar gammal"], ["other", "Något annat"]] },
    en: { question: "Did the answer help?", yes: "Yes", no: "No", why: "What was wrong? (optional)",
      thanks: "Thank you! Your answer helps the municipality improve the chat.", failed: "It could not be sent. Please try again.",
      reasons: [["wrong", "The answer was wrong"], ["not_my_question", "It did not answer my question"],
        ["unclear", "The answer was hard to understand"], ["outdated", "The information seems out of date"],
        ["other", "Something else"]] },
  };
  let latest = null;  // the newest answer's Svar-ID and token: the conversation rating is given under it

  async function postFeedback(body) {
    const response = await fetch("/api/feedback", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    return response.ok;
  }

  function addFeedback(item, auditId, contestToken, language) {
    const t = FEEDBACK[language === "en" ? "en" : "sv"];
    const n = ++contestCount;
    const box = el("div", { "class": "feedback", role: "group", "aria-labelledby": "feedback-q-" + n });
    box.appendChild(el("span", { id: "feedback-q-" + n, "class": "feedback-question" }, t.question));
    const yes = el("button", { type: "button", "aria-pressed": "false" }, t.yes);
    const no = el("button", { type: "button", "aria-pressed": "false" }, t.no);
    const reasons = el("fieldset", { "class": "feedback-reasons", hidden: "" });
    reasons.appendChild(el("legend", {}, t.why));
    const note = el("p", { "class": "feedback-status", role: "status" });
    async function vote(helpful, reason) {
      yes.setAttribute("aria-pressed", String(helpful));
      no.setAttribute("aria-pressed", String(!helpful));
      const body = { audit_id: auditId, contest_token: contestToken, conversation_id: conversationId, helpful: helpful };
      if (reason) { body.reason = reason; }
      try {
        note.textContent = (await postFeedback(body)) ? t.thanks : t.failed;
      } catch (err) {
        note.textContent = t.failed;
      }
    }
    t.reasons.forEach(function (r) {
      const choice = el("button", { type: "button", "aria-pressed": "false", "data-reason": r[0] }, r[1]);
      choice.addEventListener("click", function () {
        reasons.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        choice.setAttribute("aria-pressed", "true");
        vote(false, r[0]);
      });
      reasons.appendChild(choice);
    });
    yes.addEventListener("click", function () { reasons.hidden = true; vote(true); });
    no.addEventListener("click", function () { reasons.hidden = false; vote(false); });
    box.appendChild(yes);
    box.appendChild(no);
    box.appendChild(reasons);
    box.appendChild(note);
    item.appendChild(box);
  }

  // Pilot mode: a member of staff approves the answer first. Ask every few seconds (for up to an hour);
  // the approved answer then appears like any other, with its own Svar-ID, feedback and contest form.
  function waitForApproval(auditId, token, language, started) {
    started = started || Date.now();
    if (Date.now() - started > 60 * 60 * 1000) { return; }
    setTimeout(async function () {
      try {
        const response = await fetch("/api/pilot/status", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ audit_id: auditId, contest_token: token }),
        });
        const body = await response.json();
        if (response.ok && body.status === "released") {
          body.messages.forEach(function (m, i) {
            const item = add("bot", m.text);
            if (i === body.messages.length - 1) {
              addMeta(item, "Svar-ID: " + body.audit_id + " · Godkänt av en handläggare" + sourceNote(m.source));
              addFeedback(item, body.audit_id, body.contest_token, language);
              addContest(item, body.audit_id, body.contest_token);
              latest = { auditId: body.audit_id, token: body.contest_token };
            }
          });
          return;
        }
      } catch (err) { /* the network may be back at the next try */ }
      waitForApproval(auditId, token, language, started);
    }, 4000);
  }

  function setUpRating() {
    const rating = document.getElementById("rating");
    if (!rating) { return; }
    const note = document.getElementById("rating-status");
    rating.addEventListener("submit", async function (event) {
      event.preventDefault();
      const chosen = rating.querySelector("input[name=rating]:checked");
      if (!chosen) { note.textContent = "Välj ett betyg från 1 till 5 först."; return; }
      if (!latest) { note.textContent = "Ställ en fråga först, så kan du sedan betygsätta samtalet."; return; }
      const body = { audit_id: latest.auditId, contest_token: latest.token, conversation_id: conversationId,
        rating: Number(chosen.value) };
      try {
        note.textContent = (await postFeedback(body)) ? "Tack för ditt betyg!" : "Det gick inte att skicka. Försök igen.";
      } catch (err) {
        note.textContent = "Det gick inte att skicka. Försök igen.";
      }
    });
  }

  async function send(text, shownText, language, retrying) {
    if (!retrying) { add("user", shownText || text); }
    status.textContent = "Assistenten svarar …";
    form.querySelector("button").disabled = true;
    try {
      const payload = { conversation_id: conversationId, text: text };
      if (language) { payload.language = language; }
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
      });
      const body = await response.json();
      if (!response.ok && body.error && body.error.code === "invalid_conversation_id" && conversationId) {
        // An id from an older version of the chat (or another server): start a new conversation.
        conversationId = null;
        sessionStorage.removeItem("kommunsvar.conversation");
        form.querySelector("button").disabled = false;
        return send(text, shownText, language, true);
      }
      if (!response.ok) {
        add("error", (body.error && body.error.message) || "Något gick fel. Försök igen.");
        return;
      }
      conversationId = body.conversation_id;
      lastLanguage = body.language || null;
      sessionStorage.setItem("kommunsvar.conversation", conversationId);
      body.messages.forEach(function (m, i) {
        const item = add("bot", m.text);
        if (m.source && m.source.page_url) { addSiteSource(item, m.source); }
        if (m.buttons && m.buttons.length) { addButtons(item, m.buttons); }
        if (i === body.messages.length - 1) {
          addMeta(item, "Svar-ID: " + body.audit_id + sourceNote(m.source));
          if (body.topic === "appeal") {
            item.appendChild(el("p", { "class": "note" }, "Chattens svar är information, inte beslut. " +
              "Ett överklagande kan inte lämnas här i chatten: hur du överklagar står i beslutet."));
          }
          addFeedback(item, body.audit_id, body.contest_token, body.language);
          addContest(item, body.audit_id, body.contest_token);
          latest = { auditId: body.audit_id, token: body.contest_token };
          document.getElementById("rating-box").hidden = false;
        }
      });
      if (body.pending_review) { waitForApproval(body.audit_id, body.contest_token, body.language); }
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
  setUpRating();
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
})();
