// Builds the DOM for answers, citations, frameworks and hotlines. Text only: API data goes in textContent
// and attributes, never innerHTML; links are limited to tel:, sms: and http(s) URLs.
"use strict";

window.PassageRender = (t, RTL) => {
  let messageCount = 0;

  // ---- small DOM helpers (text only) ----
  function node(tag, options = {}, children = []) {
    const n = document.createElement(tag);
    if (options.className) n.className = options.className;
    if (options.text != null) n.textContent = String(options.text);
    for (const [name, value] of Object.entries(options.attrs || {})) {
      if (value != null && value !== false) n.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) if (child) n.append(child);
    return n;
  }

  function safeWebUrl(raw) {
    if (!raw) return null;
    const candidate = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`;
    try {
      const url = new URL(candidate);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }

  const dialable = (raw) => String(raw || "").replace(/[^\d+*#]/g, "");

  function contactLink(label, href, shown) {
    const a = node("a", { text: `${label}: ${shown}`, attrs: { href } });
    if (href.startsWith("http")) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    return a;
  }

  // ---- hotlines and escalation ----
  function renderHotlines(hotlines) {
    const list = node("ul", { className: "hotlines" });
    for (const h of hotlines || []) {
      const item = node("li", { className: "hotline" });
      item.append(node("p", { className: "hotline-name", text: h.name, attrs: { dir: "auto" } }));
      if (h.organisation && h.organisation !== h.name) {
        item.append(node("p", { className: "hotline-org", text: h.organisation, attrs: { dir: "auto" } }));
      }
      const links = node("p", { className: "hotline-links" });
      if (dialable(h.phone)) links.append(contactLink(t("call"), `tel:${dialable(h.phone)}`, h.phone));
      if (dialable(h.sms)) links.append(contactLink(t("sms"), `sms:${dialable(h.sms)}`, h.sms));
      if (h.whatsapp) {
        const wa = safeWebUrl(/^https?:/i.test(h.whatsapp) ? h.whatsapp : null) ||
          (dialable(h.whatsapp) ? `https://wa.me/${dialable(h.whatsapp).replace(/\D/g, "")}` : null);
        if (wa) links.append(contactLink(t("whatsapp"), wa, h.whatsapp));
      }
      const web = safeWebUrl(h.web);
      // The host is enough to recognise a site and fits a phone screen; the link carries the full address.
      if (web) links.append(contactLink(t("website"), web, new URL(web).hostname.replace(/^www\./, "")));
      if (links.childElementCount) item.append(links);
      if (h.hours) item.append(node("p", { className: "hotline-hours", text: `${t("hours")}: ${h.hours}` }));
      list.append(item);
    }
    return list;
  }

  function renderEscalation(escalation, urgent) {
    const box = node("section", { className: urgent ? "escalation urgent" : "escalation" });
    box.append(node("h3", { text: urgent ? t("getHelpNow") : t("alsoContact") }));
    // The message is written for text-only faces and lists the hotlines as bullets; the list is drawn below.
    const lead = (escalation.message || "").split("\n").filter((l) => l.trim() && !/^\s*[•▪◦]/.test(l));
    if (lead.length) box.append(node("p", { className: "escalation-message", text: lead.join("\n") }));
    if (escalation.emergency_number) {
      const number = escalation.emergency_number;
      box.append(node("p", { className: "emergency" }, [
        node("a", { className: "emergency-number", text: `${t("emergency")}: ${number}`,
          attrs: { href: `tel:${dialable(number)}` } }),
      ]));
    }
    if (escalation.hotlines && escalation.hotlines.length) box.append(renderHotlines(escalation.hotlines));
    return box;
  }

  // ---- answers ----
  function renderCitation(citation, idPrefix) {
    const details = node("details", { className: "citation", attrs: { id: `${idPrefix}-${citation.n}` } });
    const summary = node("summary", {}, [
      node("span", { className: "cite-n", text: `[${citation.n}] ` }),
      node("span", { text: citation.title || citation.document_id, attrs: { dir: "auto" } }),
    ]);
    const quote = citation.quote || citation.text || "";
    details.append(summary,
      node("blockquote", { className: "quote", text: quote, attrs: { dir: "auto" } }),
      node("p", { className: "cite-meta", attrs: { dir: "auto" } }, [
        `${t("documentLabel")}: `,
        node("span", { text: citation.title || citation.document_id, attrs: { dir: "auto" } }),
        ` (${citation.document_id})`,
        citation.location ? ` · ${t("locationLabel")}: ${citation.location}` : "",
      ]));
    return details;
  }

  function renderSources(citations, idPrefix, headingTag = "h3") {
    const section = node("section", { className: "sources" });
    section.append(node(headingTag, { text: t("sources") }));
    const list = node("ol", { className: "citations" });
    for (const c of citations) list.append(node("li", {}, [renderCitation(c, idPrefix)]));
    section.append(list);
    return section;
  }

  function openCitation(button, details) {
    details.open = !details.open;
    button.setAttribute("aria-expanded", String(details.open));
    if (details.open) {
      details.scrollIntoView({ block: "nearest" });
      details.querySelector("summary").focus();
    }
  }

  // Splits the answer on [n] / [n, m] markers; each known n becomes a button that opens citation n.
  function renderAnswerText(text, known, idPrefix, container) {
    // dir="auto": an Arabic conversation may still quote an English passage, which must read left to right.
    const para = node("p", { className: "answer-text", attrs: { dir: "auto" } });
    const pattern = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      const numbers = match[1].split(/[,;]/).map((s) => Number(s.trim()));
      if (!numbers.every((n) => known.has(n))) continue;
      para.append(text.slice(last, match.index));
      for (const n of numbers) {
        const button = node("button", { className: "cite-ref", text: `[${n}]`, attrs: {
          type: "button", "aria-expanded": "false", "aria-controls": `${idPrefix}-${n}`,
          "aria-label": t("sourceN", { n }),
        } });
        button.addEventListener("click", () => {
          const details = container.querySelector(`#${idPrefix}-${n}`);
          if (details) openCitation(button, details);
        });
        para.append(button);
      }
      last = match.index + match[0].length;
    }
    para.append(text.slice(last));
    return para;
  }

  // Keeps [n] buttons truthful when a citation is opened or closed from its own summary.
  function syncCiteButtons(container) {
    for (const details of container.querySelectorAll("details.citation")) {
      details.addEventListener("toggle", () => {
        for (const b of container.querySelectorAll(`button[aria-controls="${details.id}"]`)) {
          b.setAttribute("aria-expanded", String(details.open));
        }
      });
    }
  }

  function renderFrameworks(frameworks, idPrefix) {
    const section = node("section", { className: "frameworks" });
    section.append(node("h3", { text: t("frameworks") }));
    frameworks.forEach((f, i) => {
      const card = node("article", { className: "framework-card", attrs: { dir: "auto" } });
      card.append(node("h4", { text: f.name }));
      const meta = [f.issuer, (f.kind || "").replace(/_/g, " ")].filter(Boolean).join(" · ");
      card.append(node("p", { className: "framework-meta", text: meta }));
      // Facets read as words; the ranking scores are for evaluators, not for the reader.
      const why = (f.why || []).filter((w) => !/^scores?:/i.test(w)).map((w) => w.replace(/_/g, " "));
      if (why.length) card.append(node("p", { text: `${t("why")}: ${why.join("; ")}` }));
      if (f.key_provisions && f.key_provisions.length) {
        card.append(node("p", { className: "provisions-label", text: `${t("keyProvisions")}:` }));
        const list = node("ul");
        for (const p of f.key_provisions) list.append(node("li", { text: p }));
        card.append(list);
      }
      if (f.citations && f.citations.length) {
        card.append(renderSources(f.citations, `${idPrefix}-f${i}`, "h5"));
      }
      section.append(card);
    });
    return section;
  }

  function messageShell(kind, label, language) {
    const article = node("article", { className: `message ${kind}` });
    if (language) {
      article.lang = language;
      article.dir = RTL.has(language) ? "rtl" : "ltr";
    }
    article.append(node("h3", { className: "visually-hidden", text: label }));
    return article;
  }

  function renderAnswer(data) {
    const id = `m${++messageCount}`;
    const kind = data.abstained ? "answer abstained" : "answer";
    const article = messageShell(kind, t("assistant"), data.language);
    const escalation = data.escalation || {};
    const urgent = escalation.level === "urgent";
    const hasContacts = (escalation.hotlines || []).length > 0 || Boolean(escalation.emergency_number);
    const refer = escalation.level === "refer" && hasContacts;
    // The answer text repeats the escalation message for text-only faces; here the block shows it once.
    let text = data.answer || "";
    if ((urgent || refer) && escalation.message) text = text.replace(escalation.message, "").trim();
    // Urgent: hotlines come first, before any document text, for eyes and screen readers alike.
    if (urgent) article.append(renderEscalation(escalation, true));
    const citations = data.citations || [];
    const known = new Set(citations.map((c) => c.n));
    if (text) article.append(renderAnswerText(text, known, `${id}-c`, article));
    if (citations.length) article.append(renderSources(citations, `${id}-c`));
    if (data.frameworks && data.frameworks.length) article.append(renderFrameworks(data.frameworks, id));
    if (!urgent && refer) article.append(renderEscalation(escalation, false));
    syncCiteButtons(article);
    return article;
  }

  function renderError(text, escalation, language) {
    const article = messageShell("answer error", t("assistant"), language);
    article.append(node("p", { className: "error", text }));
    if (escalation) article.append(renderEscalation(escalation, true));
    return article;
  }

  return { node, messageShell, renderAnswer, renderError, renderEscalation, renderHotlines };
};
