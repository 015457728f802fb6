// Kommunsvar's widget loader. A municipality adds one tag to its pages:
//
//   <script src="https://chatt.kommun.se/widget.js" data-kommunsvar data-language="sv"
//           data-position="right" data-color="#005a9c" defer></script>
//
// It adds a launcher button and a chat panel. Both live in a Shadow DOM, so the host page's CSS and
// ours never meet; the panel is an <iframe> of /widget on the chat's own origin, so the conversation,
// its id and its answers never touch the host page. No cookies, no third-party requests, no inline
// script or style (the styles are a constructed stylesheet, or a <link> to widget-host.css).
//
// Accessibility: the launcher is a real button with a name and aria-expanded; opening moves focus into
// the panel (to the message field), Escape or "Stäng" closes it and puts focus back on the launcher.
(function () {
  "use strict";
  const script = document.currentScript ||
    document.querySelector("script[data-kommunsvar]");
  if (!script || window.__kommunsvarWidget) { return; }
  window.__kommunsvarWidget = true;

  const base = new URL(script.src, document.baseURI).origin;
  const language = script.getAttribute("data-language") === "en" ? "en" : "sv";
  const position = script.getAttribute("data-position") === "left" ? "left" : "right";
  const TEXT = {
    sv: { open: "Fråga kommunen", panel: "Chatt: Fråga kommunen", frame: "Chatten Fråga kommunen" },
    en: { open: "Ask the municipality", panel: "Chat: Ask the municipality", frame: "The chat Ask the municipality" },
  }[language];

  // The accent colour: a hex colour with at least 4.5:1 contrast against white (text on the launcher),
  // otherwise the default. A colour that fails WCAG contrast is never used.
  function luminance(hex) {
    const c = [0, 2, 4].map(function (i) {
      const v = parseInt(hex.substr(i, 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function accent(value) {
    const m = /^#?([0-9a-fA-F]{6})$/.exec(value || "");
    if (!m) { return "005a9c"; }
    return (1.05 / (luminance(m[1]) + 0.05)) >= 4.5 ? m[1].toLowerCase() : "005a9c";
  }
  const color = accent(script.getAttribute("data-color"));

  const CSS = [
    ":host { all: initial; }",
    ".launcher { position: fixed; bottom: 1rem; " + position + ": 1rem; z-index: 2147483000;",
    "  display: inline-flex; align-items: center; gap: .5rem; min-height: 2.75rem; padding: .6rem 1rem;",
    "  border: 2px solid #fff; border-radius: 1.5rem; background: #" + color + "; color: #fff;",
    "  font: 600 1rem/1.2 system-ui, sans-serif; cursor: pointer; box-shadow: 0 2px 8px rgba(0,0,0,.35); }",
    ".launcher:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }",
    ".launcher svg { width: 1.25rem; height: 1.25rem; flex: none; }",
    ".panel { position: fixed; bottom: 4.5rem; " + position + ": 1rem; z-index: 2147483001;",
    "  width: min(25rem, calc(100vw - 2rem)); height: min(40rem, calc(100vh - 6rem));",
    "  background: #fff; border: 1px solid #8a96a3; border-radius: .6rem; overflow: hidden;",
    "  box-shadow: 0 4px 24px rgba(0,0,0,.3); }",
    ".panel[hidden] { display: none; }",
    ".panel iframe { display: block; width: 100%; height: 100%; border: 0; }",
    // Small screens and high zoom (400 % of 1280 px is 320 px): the panel takes the whole viewport.
    "@media (max-width: 30rem), (max-height: 34rem) {",
    "  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; border: 0; } }",
    "@media (prefers-reduced-motion: no-preference) { .panel:not([hidden]) { animation: k-in .15s ease-out; } }",
    "@keyframes k-in { from { opacity: 0; transform: translateY(.5rem); } to { opacity: 1; transform: none; } }",
    "@media (forced-colors: active) { .launcher, .panel { border: 2px solid CanvasText; } }",
  ].join("\n");

  const host = document.createElement("div");
  host.id = "kommunsvar-widget";
  const root = host.attachShadow({ mode: "open" });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch (err) {  // older browsers: the same rules from a file (colour and side keep their defaults)
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = base + "/static/widget-host.css";
    root.appendChild(link);
  }

  const launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "launcher";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "kommunsvar-panel");
  const svgNs = "http://www.w3.org/2000/svg";
  const icon = document.createElementNS(svgNs, "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  icon.setAttribute("focusable", "false");
  const path = document.createElementNS(svgNs, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
  icon.appendChild(path);
  launcher.appendChild(icon);
  launcher.appendChild(document.createTextNode(TEXT.open));

  const panel = document.createElement("div");
  panel.className = "panel";
  panel.id = "kommunsvar-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "false");
  panel.setAttribute("aria-label", TEXT.panel);
  panel.hidden = true;
  root.appendChild(launcher);
  root.appendChild(panel);

  let frame = null;
  let ready = false;

  function focusPanel() {
    if (!frame) { return; }
    frame.focus();
    frame.contentWindow.postMessage({ type: "kommunsvar:focus" }, base);
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (!frame) {  // loaded on first open: pages that never open the chat never load it
      frame = document.createElement("iframe");
      frame.title = TEXT.frame;
      frame.src = base + "/widget?embedded=1&lang=" + language + "&color=" + color;
      frame.setAttribute("allow", "clipboard-write");
      panel.appendChild(frame);
    } else if (ready) {
      focusPanel();
    }
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { close(); } });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  window.addEventListener("message", function (event) {
    if (!frame || event.origin !== base || event.source !== frame.contentWindow) { return; }
    const type = event.data && event.data.type;
    if (type === "kommunsvar:ready") { ready = true; if (!panel.hidden) { focusPanel(); } }
    if (type === "kommunsvar:close") { close(); }
  });

  function mount() { document.body.appendChild(host); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
