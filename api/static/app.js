// Passage chat page. Everything from the API is rendered with textContent: API data is never parsed as HTML.
// Nothing is stored in the browser: the conversation lives in this tab's DOM only and quick exit wipes it.
"use strict";

(() => {
  const { LANGUAGES, COUNTRIES, RTL, t: translate } = window.PassageI18n;
  const NEUTRAL_URL = "https://www.google.com/search?q=weather";
  const ESCAPE_WINDOW_MS = 1000; // two Escape presses this close together mean "leave now"
  const ASK_TIMEOUT_MS = 90000; // the first question may wait for the model on a busy server

  const $ = (id) => document.getElementById(id);
  const el = {
    quickExit: $("quick-exit"), talk: $("talk-to-person"), panel: $("hotline-panel"),
    panelBody: $("hotline-panel-body"), panelTitle: $("hotline-panel-title"), language: $("language"),
    country: $("country"), conversation: $("conversation"), status: $("status"), form: $("ask-form"),
    question: $("question"), send: $("send"),
  };
  const state = { language: "en", pending: null, lastEscape: 0 };
  const t = (key, vars) => translate(state.language, key, vars);
  const { node, messageShell, renderAnswer, renderError: errorIn, renderEscalation, renderHotlines } =
    window.PassageRender(t, RTL);
  const renderError = (text, escalation) => errorIn(text, escalation, state.language);

  // ---- settings: language, country, persona ----
  function fillLanguages() {
    for (const [code, name] of LANGUAGES) {
      el.language.append(node("option", { text: name, attrs: { value: code, lang: code } }));
    }
    const preferred = (navigator.language || "en").slice(0, 2).toLowerCase();
    state.language = LANGUAGES.some(([code]) => code === preferred) ? preferred : "en";
    el.language.value = state.language;
  }

  function fillCountries() {
    const selected = el.country.value;
    let names = null;
    try {
      names = new Intl.DisplayNames([state.language, "en"], { type: "region" });
    } catch {
      names = null;
    }
    const entries = Object.entries(COUNTRIES).map(([code, english]) => {
      let name = english;
      try {
        name = (names && names.of(code)) || english;
      } catch { /* keep the English name */ }
      return [code, name];
    });
    entries.sort((a, b) => a[1].localeCompare(b[1], state.language));
    el.country.replaceChildren(node("option", { text: t("countryNone"), attrs: { value: "" } }));
    for (const [code, name] of entries) {
      el.country.append(node("option", { text: name, attrs: { value: code } }));
    }
    el.country.value = selected;
  }

  function applyLanguage() {
    const root = document.documentElement;
    root.lang = state.language;
    root.dir = RTL.has(state.language) ? "rtl" : "ltr";
    for (const n of document.querySelectorAll("[data-i18n]")) n.textContent = t(n.dataset.i18n);
    for (const n of document.querySelectorAll("[data-i18n-placeholder]")) {
      n.placeholder = t(n.dataset.i18nPlaceholder);
    }
    for (const n of document.querySelectorAll("[data-i18n-aria-label]")) {
      n.setAttribute("aria-label", t(n.dataset.i18nAriaLabel));
    }
    fillCountries();
    syncQuestionDir();
  }

  // dir="auto" follows what is typed, but an empty box would fall back to left-to-right in Arabic.
  function syncQuestionDir() {
    el.question.dir = el.question.value.trim() ? "auto" : document.documentElement.dir;
  }

  const persona = () => document.querySelector('input[name="persona"]:checked').value;
  const country = () => el.country.value || null;

  async function loadHotlinePanel() {
    el.panelBody.replaceChildren(node("p", { text: t("loadingHotlines") }));
    const params = new URLSearchParams({ language: state.language });
    if (country()) params.set("country", country());
    try {
      const response = await fetch(`/v1/hotlines?${params}`, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const data = await response.json();
      const hotlines = Array.isArray(data) ? data : data.hotlines || [];
      const parts = [];
      if (data.emergency_number) {
        parts.push(renderEscalation({ emergency_number: data.emergency_number }, true));
      }
      if (data.note) parts.push(node("p", { className: "note", text: data.note }));
      parts.push(hotlines.length ? renderHotlines(hotlines) : node("p", { text: t("noHotlines") }));
      el.panelBody.replaceChildren(...parts);
    } catch {
      el.panelBody.replaceChildren(node("p", { className: "error", text: t("errHotlines") }));
    }
  }

  // When there is no answer, the way to a person is offered right where the person is reading.
  function talkButton() {
    const button = node("button", { className: "link-button", text: t("talkToPerson"),
      attrs: { type: "button", "aria-controls": "hotline-panel" } });
    button.addEventListener("click", () => {
      if (el.panel.hidden) toggleHotlinePanel();
      else el.panelTitle.focus();
      el.panel.scrollIntoView({ block: "start" });
    });
    return node("p", { className: "talk-inline" }, [button]);
  }

  function toggleHotlinePanel() {
    const open = el.panel.hidden;
    el.panel.hidden = !open;
    el.talk.setAttribute("aria-expanded", String(open));
    if (open) {
      loadHotlinePanel();
      el.panelTitle.focus();
    }
  }

  async function errorFor(response) {
    let body = null;
    try {
      body = await response.json();
    } catch { /* a proxy error page is not JSON */ }
    if (response.status === 422) {
      const detail = body && body.detail;
      let reason = "";
      if (typeof detail === "string") reason = detail;
      else if (Array.isArray(detail)) reason = detail.map((d) => d && d.msg).filter(Boolean).join("; ");
      return renderError(reason ? `${t("errInput")} (${reason})` : t("errInput"));
    }
    if (response.status === 503) return renderError(t("errUnavailable"), body && body.escalation);
    return renderError(t("errOther"), body && body.escalation);
  }

  async function ask(question) {
    const userMessage = messageShell("user", t("you"));
    userMessage.append(node("p", { text: question, attrs: { dir: "auto" } }));
    el.conversation.append(userMessage);
    const waiting = node("p", { className: "thinking", text: t("thinking") });
    el.conversation.append(waiting);
    el.send.disabled = true;
    const controller = new AbortController();
    state.pending = controller;
    const timer = setTimeout(() => controller.abort(), ASK_TIMEOUT_MS);
    let reply;
    try {
      const response = await fetch("/v1/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ question, persona: persona(), language: state.language, country: country() }),
        signal: controller.signal,
      });
      if (response.ok) {
        const data = await response.json();
        reply = renderAnswer(data);
        if (data.abstained) reply.append(talkButton());
      } else {
        reply = await errorFor(response);
      }
    } catch {
      if (state.pending !== controller) return; // quick exit aborted it: render nothing
      reply = renderError(t("errNetwork"));
    } finally {
      clearTimeout(timer);
    }
    if (state.pending !== controller) return;
    state.pending = null;
    waiting.replaceWith(reply); // the log region announces the new answer
    el.send.disabled = false;
    reply.scrollIntoView({ block: "start" });
  }

  // ---- quick exit ----
  function quickExit() {
    const pending = state.pending;
    state.pending = null;
    if (pending) pending.abort();
    // Wipe first so nothing lingers in a back/forward cache snapshot, then replace this history entry.
    document.title = "";
    document.body.replaceChildren();
    window.location.replace(NEUTRAL_URL);
  }

  function onKeydown(event) {
    if (event.key !== "Escape") return;
    const now = Date.now();
    if (now - state.lastEscape <= ESCAPE_WINDOW_MS) quickExit();
    state.lastEscape = now;
  }

  // ---- wiring ----
  function init() {
    fillLanguages();
    applyLanguage();
    el.panelTitle.tabIndex = -1;
    el.quickExit.addEventListener("click", quickExit);
    document.addEventListener("keydown", onKeydown);
    el.talk.addEventListener("click", toggleHotlinePanel);
    el.language.addEventListener("change", () => {
      state.language = el.language.value;
      applyLanguage();
      if (!el.panel.hidden) loadHotlinePanel();
    });
    el.country.addEventListener("change", () => {
      if (!el.panel.hidden) loadHotlinePanel();
    });
    el.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const question = el.question.value.trim();
      if (!question) {
        el.status.textContent = t("emptyQuestion");
        el.question.focus();
        return;
      }
      if (state.pending) return;
      el.question.value = "";
      syncQuestionDir();
      ask(question);
    });
    el.question.addEventListener("input", syncQuestionDir);
    // Enter sends, Shift+Enter adds a line; never while an input method is composing a character.
    el.question.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        el.form.requestSubmit();
      }
    });
  }

  init();
})();
