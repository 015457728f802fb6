// The citizen chat: the page at / and the widget's panel (/widget, in the frame widget.js adds).
//
// All text is inserted with textContent: nothing the bot or the user writes is ever interpreted as HTML.
// Every answer carries its Svar-ID and source, "Hjälpte svaret? Ja / Nej" (POST /api/feedback, a reason
// from a fixed list on "Nej", never free text) and a "Stämmer inte svaret?" form that creates a case
// (POST /api/cases). Above the conversation: "Prata med en människa", "Spara samtalet" (a text file made
// in the browser, with the Svar-IDs; nothing is sent) and "Radera mitt samtal" (POST
// /api/conversation/delete, after a confirmation that says what is kept and why).
//
// Screen readers: the transcript is a role="log" live region. A message is built whole (text, source,
// Svar-ID, controls) before it is added, so each one is announced once, and nothing already in the log
// is re-rendered. Each message carries the lang of its reply ("en" on English answers).
(function () {
  "use strict";
  const params = new URLSearchParams(window.location.search);
  const embedded = window.parent !== window && params.get("embedded") === "1";  // in widget.js's frame
  const ui = params.get("lang") === "en" ? "en" : "sv";
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  const status = document.getElementById("status");
  const sendButton = form.querySelector("button[type=submit]");

  const UI = {
    sv: {
      you: "Du", bot: "Chatten", answering: "Assistenten svarar …", empty: "Skriv en fråga innan du skickar.",
      failed: "Något gick fel. Försök igen.", offline: "Chatten kan inte nås just nu. Försök igen om en stund.",
      answerId: "Svar-ID", source: "Källa", sourceSite: "kommunens webbplats", sourcePolicy: "kommunens svarspolicy",
      fromSite: "Från kommunens webbplats", approved: "Godkänt av en handläggare",
      appeal: "Chattens svar är information, inte beslut. Ett överklagande kan inte lämnas här i chatten: " +
        "hur du överklagar står i beslutet.",
      human: "Prata med en människa", nothingToSave: "Det finns inget samtal att spara än.",
      saved: "Samtalet är sparat som en fil på din enhet.",
      fileHead: "Samtal med chatten Fråga kommunen", fileSaved: "Sparat",
      fileNote: "Svaren är information, inte beslut. Vill du ifrågasätta ett svar, ange dess Svar-ID.",
      nothingToDelete: "Det finns inget samtal att radera.", deleting: "Raderar …",
      deleteFailed: "Samtalet kunde inte raderas just nu. Försök igen om en stund.",
      deletedTitle: "Ditt samtal är raderat",
      deletedBody: "Det du skrev och chattens svar är borttagna från chattens lagring. Du kan börja ett nytt samtal.",
      keptDays: function (d) {
        return "Kvar finns bara uppgifter om att svar gavs (när, om vilket ämne och från vilken källa), utan text. " +
          "De är allmänna handlingar och sparas i " + d + " dagar enligt kommunens beslut om gallring. " +
          "Ärenden som du har skickat in, till exempel om ett felaktigt svar, handläggs och sparas som ärenden.";
      },
      keptNoDays: "Kvar finns bara uppgifter om att svar gavs (när, om vilket ämne och från vilken källa), utan text. " +
        "De är allmänna handlingar och sparas enligt kommunens beslut om gallring.",
    },
    en: {
      title: "Ask the municipality", close: "Close", tools: "Your conversation",
      notice: "You are chatting with an AI assistant, not a person. Do not type your personal identity number " +
        "or other sensitive details. The answers are information, not decisions.",
      human: "Talk to a person", save: "Save the conversation", delete: "Delete my conversation",
      confirm_title: "Delete the conversation?",
      confirm_body: "What you wrote and the chat's answers are deleted everywhere the chat stored them. " +
        "This cannot be undone.",
      confirm_kept: "Only the fact that answers were given remains: when, on which topic and from which source, " +
        "without any text. It is a public record, kept as long as the municipality's retention decision says.",
      confirm_yes: "Yes, delete the conversation", cancel: "Cancel", label: "Your question",
      placeholder: "Type your question here", send: "Send", log: "The conversation",
      rating: "How satisfied are you with the chat? (1 = not at all, 5 = very)", rate: "Send rating",
      about: "About the chat", a11y: "Accessibility",
      you: "You", bot: "Chat", answering: "The assistant is answering …", empty: "Type a question before you send.",
      failed: "Something went wrong. Please try again.", offline: "The chat cannot be reached right now. Please try again later.",
      answerId: "Answer ID", source: "Source", sourceSite: "the municipality's website",
      sourcePolicy: "the municipality's answer policy", fromSite: "From the municipality's website",
      approved: "Approved by a member of staff",
      appeal: "The chat's answers are information, not decisions. An appeal cannot be made here in the chat: " +
        "the decision says how to appeal.",
      nothingToSave: "There is no conversation to save yet.", saved: "The conversation is saved as a file on your device.",
      fileHead: "Conversation with the chat Ask the municipality", fileSaved: "Saved",
      fileNote: "The answers are information, not decisions. To contest an answer, give its Answer ID.",
      nothingToDelete: "There is no conversation to delete.", deleting: "Deleting …",
      deleteFailed: "The conversation could not be deleted right now. Please try again later.",
      deletedTitle: "Your conversation is deleted",
      deletedBody: "What you wrote and the chat's answers are gone from the chat's storage. You can start a new conversation.",
      keptDays: function (d) {
        return "Only the fact that answers were given remains (when, on which topic and from which source), without " +
          "any text. It is a public record, kept for " + d + " days under the municipality's retention decision. " +
          "Cases you have sent, for example about a wrong answer, are handled and kept as cases.";
      },
      keptNoDays: "Only the fact that answers were given remains (when, on which topic and from which source), " +
        "without any text. It is a public record, kept under the municipality's retention decision.",
    },
  };
  const T = UI[ui];

  // --- the panel's language, colour and frame messages ----------------------------------------------------

  function applyLanguage() {
    if (ui !== "en") { return; }
    document.documentElement.lang = "en";
    document.title = "Ask the municipality – chat";
    document.querySelectorAll("[data-t]").forEach(function (node) {
      const value = T[node.getAttribute("data-t")];
      if (typeof value === "string") { node.textContent = value; }
    });
    document.querySelectorAll("[data-t-label]").forEach(function (node) {
      node.setAttribute("aria-label", T[node.getAttribute("data-t-label")]);
    });
    document.querySelectorAll("[data-t-placeholder]").forEach(function (node) {
      node.setAttribute("placeholder", T[node.getAttribute("data-t-placeholder")]);
    });
    const about = document.querySelector("a[data-t=about]");
    const a11y = document.querySelector("a[data-t=a11y]");
    if (about) { about.href = "/about-the-service"; }
    if (a11y) { a11y.href = "/accessibility"; }
  }

  // A colour from the embedding page, used only when white text on it has at least 4.5:1 contrast.
  function applyColour() {
    const m = /^([0-9a-fA-F]{6})$/.exec(params.get("color") || "");
    if (!m) { return; }
    const channel = function (i) {
      const v = parseInt(m[1].substr(i, 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    const lum = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    if (1.05 / (lum + 0.05) >= 4.5) { document.documentElement.style.setProperty("--accent", "#" + m[1]); }
  }

  function tellHost(type) {
    if (embedded) { window.parent.postMessage({ type: type }, "*"); }  // carries no data
  }

  if (!embedded) { document.body.classList.add("standalone"); }  // a page of its own: centred
  applyLanguage();
  applyColour();
  const closeButton = document.getElementById("close");
  if (embedded && closeButton) {
    closeButton.hidden = false;
    closeButton.addEventListener("click", function () { tellHost("kommunsvar:close"); });
  }
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "kommunsvar:focus") { input.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && embedded) { event.preventDefault(); tellHost("kommunsvar:close"); }
  });

  // --- storage that may be unavailable (some browsers block it in frames) -----------------------------

  const KEY = "kommunsvar.conversation";
  function stored() { try { return window.sessionStorage.getItem(KEY); } catch (err) { return null; } }
  function store(value) {
    try {
      if (value) { window.sessionStorage.setItem(KEY, value); } else { window.sessionStorage.removeItem(KEY); }
    } catch (err) { /* the conversation then lasts as long as the page */ }
  }

  let conversationId = stored();
  let lastLanguage = null;
  let contestCount = 0;
  const transcript = [];  // for "Spara samtalet": {who, text, time, meta}

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  // A message item, not yet in the log: fill it, then post() it once.
  function message(kind, text, language) {
    const item = el("li", { "class": "msg " + kind });
    if (language) { item.setAttribute("lang", language); }
    const R = UI[language === "en" ? "en" : language === "sv" ? "sv" : ui];
    item.appendChild(el("span", { "class": "visually-hidden" }, (kind === "user" ? R.you : R.bot) + ": "));
    item.appendChild(el("span", { "class": "text" }, text));
    return item;
  }

  function post(item) {
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }

  function add(kind, text, language) {
    return post(message(kind, text, language));
  }

  function addMeta(item, text) {
    item.appendChild(el("span", { "class": "meta" }, text));
  }

  // A website answer: the label and a link to the page it was taken from (http(s) links only).
  function addSiteSource(item, source, R) {
    const line = el("p", { "class": "site-source" }, (source.label || R.fromSite) + ": ");
    if (/^https?:\/\//.test(source.page_url)) {
      const link = el("a", { href: source.page_url, rel: "noopener", target: "_blank" },
        source.page_title || source.page_url);
      line.appendChild(link);
    } else {
      line.appendChild(document.createTextNode(source.page_title || ""));
    }
    item.appendChild(line);
  }

  function sourceNote(source, R) {
    if (!source) { return ""; }
    if (source.page_url) { return " · " + R.source + ": " + R.sourceSite; }
    if (source.policy) { return " · " + R.source + ": " + R.sourcePolicy; }
    if (source.title) { return " · " + R.source + ": " + source.title; }
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

  // The "Stämmer inte svaret?" link and its form under one answer (closed until asked for).
  function addContest(item, auditId, contestToken) {
    const n = ++contestCount;
    const toggle = el("button", { type: "button", "class": "link contest-toggle", "aria-expanded": "false",
      "aria-controls": "contest-" + n, lang: "sv" }, "Stämmer inte svaret?");  // the form is in Swedish
    const box = el("form", { id: "contest-" + n, "class": "contest", hidden: "", novalidate: "",
      "aria-labelledby": "contest-title-" + n, lang: "sv" });
    box.appendChild(el("p", { id: "contest-title-" + n, "class": "contest-title" }, "Stämmer inte svaret?"));
    box.appendChild(el("p", { "class": "hint" },
      "Berätta vad som är fel. En handläggare ser vilket svar du fick och varför (Svar-ID " + auditId + ")."));
    box.appendChild(el("label", { "for": "contest-msg-" + n }, "Vad är fel?"));
    const text = el("textarea", { id: "contest-msg-" + n, name: "message", rows: "3", maxlength: "2000",
      required: "" });
    box.appendChild(text);
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
    const note = el("p", { "class": "contest-status", role: "status" });
    box.appendChild(note);
    const key = newKey();

    function open(show) {
      box.hidden = !show;
      toggle.setAttribute("aria-expanded", show ? "true" : "false");
      if (show) { text.focus(); } else { toggle.focus(); }
    }
    toggle.addEventListener("click", function () { open(box.hidden); });
    cancel.addEventListener("click", function () { open(false); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); open(false); }
    });

    box.addEventListener("submit", async function (event) {
      event.preventDefault();
      [text, email, phone].forEach(function (f) { f.removeAttribute("aria-invalid"); });
      if (!text.value.trim()) {
        text.setAttribute("aria-invalid", "true");
        note.textContent = "Skriv vad som är fel innan du skickar.";
        text.focus();
        return;
      }
      const contact = {};
      if (email.value.trim()) { contact.email = email.value.trim(); }
      if (phone.value.trim()) { contact.phone = phone.value.trim(); }
      const body = { audit_id: auditId, contest_token: contestToken, message: text.value, idempotency_key: key,
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

  async function postJson(path, body) {
    return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }

  async function postFeedback(body) {
    return (await postJson("/api/feedback", body)).ok;
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
    // "Nej" and then a reason are two requests, and the later one must be stored last: each vote waits
    // for the one before it (sent together, the reason could arrive first and be overwritten).
    let sending = Promise.resolve();
    function vote(helpful, reason) {
      yes.setAttribute("aria-pressed", String(helpful));
      no.setAttribute("aria-pressed", String(!helpful));
      const body = { audit_id: auditId, contest_token: contestToken, conversation_id: conversationId, helpful: helpful };
      if (reason) { body.reason = reason; }
      sending = sending.then(async function () {
        try {
          note.textContent = (await postFeedback(body)) ? t.thanks : t.failed;
        } catch (err) {
          note.textContent = t.failed;
        }
      });
      return sending;
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

  function stamp() {
    const d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  // One answer of the bot, built whole, then added to the log once.
  // Its Svar-ID, source and notes are in the answer's language (the item's lang says which).
  function showAnswer(body, m, last, approved) {
    const R = UI[body.language === "en" ? "en" : "sv"];
    const item = message("bot", m.text, body.language);
    if (m.source && m.source.page_url) { addSiteSource(item, m.source, R); }
    if (m.buttons && m.buttons.length) { addButtons(item, m.buttons); }
    let meta = "";
    if (last) {
      meta = R.answerId + ": " + body.audit_id + (approved ? " · " + R.approved : "") + sourceNote(m.source, R);
      addMeta(item, meta);
      if (body.topic === "appeal") { item.appendChild(el("p", { "class": "note" }, R.appeal)); }
      addFeedback(item, body.audit_id, body.contest_token, body.language);
      addContest(item, body.audit_id, body.contest_token);
      latest = { auditId: body.audit_id, token: body.contest_token };
    }
    transcript.push({ who: T.bot, text: m.text, time: stamp(), meta: meta });  // the file is in the panel's language
    post(item);
  }

  // Pilot mode: a member of staff approves the answer first. Ask every few seconds (for up to an hour);
  // the approved answer then appears like any other, with its own Svar-ID, feedback and contest form.
  function waitForApproval(auditId, token, language, started) {
    started = started || Date.now();
    if (Date.now() - started > 60 * 60 * 1000) { return; }
    setTimeout(async function () {
      try {
        const response = await postJson("/api/pilot/status", { audit_id: auditId, contest_token: token });
        const body = await response.json();
        if (response.ok && body.status === "released") {
          body.language = body.language || language;
          body.messages.forEach(function (m, i) {
            showAnswer(body, m, i === body.messages.length - 1, true);
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

  // What the citizen typed is never lost: if it could not be sent, it goes back into the field.
  function restore(text) {
    if (!input.value.trim() && text.charAt(0) !== "/") { input.value = text; }
  }

  async function send(text, shownText, language, retrying) {
    if (!retrying) {
      add("user", shownText || text);
      transcript.push({ who: T.you, text: shownText || text, time: stamp(), meta: "" });
    }
    hideDeleted();
    status.textContent = T.answering;
    sendButton.disabled = true;
    try {
      const payload = { conversation_id: conversationId, text: text };
      if (language) { payload.language = language; }
      const response = await postJson("/api/chat", payload);
      const body = await response.json();
      if (!response.ok && body.error && body.error.code === "invalid_conversation_id" && conversationId) {
        // An id from an older version of the chat (or another server): start a new conversation.
        conversationId = null;
        store(null);
        sendButton.disabled = false;
        return send(text, shownText, language, true);
      }
      if (!response.ok) {
        add("error", (body.error && body.error.message) || T.failed);
        restore(text);
        return;
      }
      conversationId = body.conversation_id;
      lastLanguage = body.language || null;
      store(conversationId);
      body.messages.forEach(function (m, i) { showAnswer(body, m, i === body.messages.length - 1); });
      const ratingBox = document.getElementById("rating-box");
      if (ratingBox) { ratingBox.hidden = false; }
      if (body.pending_review) { waitForApproval(body.audit_id, body.contest_token, body.language); }
    } catch (err) {
      add("error", T.offline);
      restore(text);
    } finally {
      status.textContent = "";
      sendButton.disabled = false;
    }
  }

  // --- the citizen's rights: a person, a copy, deletion ---------------------------------------------

  function download(name, content) {
    const url = URL.createObjectURL(new Blob([content], { type: "text/plain;charset=utf-8" }));
    const link = el("a", { href: url, download: name, "class": "visually-hidden" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function saveConversation() {
    if (!transcript.length) { status.textContent = T.nothingToSave; return; }
    const now = new Date();
    const day = now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);
    const lines = [T.fileHead, T.fileSaved + " " + day + " " + stamp(), T.fileNote, ""];
    transcript.forEach(function (entry) {
      lines.push("[" + entry.time + "] " + entry.who + ": " + entry.text);
      if (entry.meta) { lines.push("        " + entry.meta); }
      lines.push("");
    });
    download((ui === "en" ? "conversation-" : "samtal-") + day + ".txt", lines.join("\r\n"));
    status.textContent = T.saved;
  }

  const confirmBox = document.getElementById("confirm-delete");
  const deletedBox = document.getElementById("deleted");
  const deleteButton = document.getElementById("delete");

  function hideDeleted() { if (deletedBox) { deletedBox.hidden = true; } }

  function askDelete() {
    if (!conversationId) { status.textContent = T.nothingToDelete; return; }
    confirmBox.hidden = false;
    document.getElementById("confirm-title").focus();
  }

  function cancelDelete() {
    confirmBox.hidden = true;
    deleteButton.focus();
  }

  async function deleteConversation() {
    const yes = document.getElementById("confirm-yes");
    yes.disabled = true;
    status.textContent = T.deleting;
    try {
      const response = await postJson("/api/conversation/delete", { conversation_id: conversationId });
      const body = await response.json();
      if (!response.ok) {
        status.textContent = (body.error && body.error.message) || T.deleteFailed;
        return;
      }
      conversationId = null;
      latest = null;
      store(null);
      transcript.length = 0;
      log.replaceChildren();
      const ratingBox = document.getElementById("rating-box");
      if (ratingBox) { ratingBox.hidden = true; }
      confirmBox.hidden = true;
      status.textContent = "";
      const days = body.kept && body.kept.metadata_days;
      document.getElementById("deleted-title").textContent = T.deletedTitle;
      document.getElementById("deleted-body").textContent = T.deletedBody;
      document.getElementById("deleted-kept").textContent = days ? T.keptDays(days) : T.keptNoDays;
      deletedBox.hidden = false;
      deletedBox.focus();
    } catch (err) {
      status.textContent = T.deleteFailed;
    } finally {
      yes.disabled = false;
    }
  }

  function setUpRights() {
    const human = document.getElementById("human");
    if (human) { human.addEventListener("click", function () { send("/human_handoff", T.human, lastLanguage || ui); }); }
    const save = document.getElementById("save");
    if (save) { save.addEventListener("click", saveConversation); }
    if (deleteButton && confirmBox && deletedBox) {
      deleteButton.addEventListener("click", askDelete);
      document.getElementById("confirm-no").addEventListener("click", cancelDelete);
      document.getElementById("confirm-yes").addEventListener("click", deleteConversation);
      confirmBox.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); cancelDelete(); }
      });
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { status.textContent = T.empty; return; }
    input.value = "";
    send(text);
  });
  setUpRating();
  setUpRights();
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  tellHost("kommunsvar:ready");
})();
