"""The chat page in headless Chromium (Debian's /usr/bin/chromium) against the real API server.

Real answers come from the `api_server` fixture (real uvicorn over a real built index). Only the 422 and 503
cases are shaped with page.route; "API down" is a real server that has been stopped.
Screenshots land in test-artifacts/ for a human to look at.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
NEUTRAL = "https://www.google.com/**"
RIGHTS_QUESTION = "What can a migrant worker do if the employer confiscated their passport and documents?"
URGENT_QUESTION = "My employer locked me in the house and took my passport. I am afraid he will kill me."
OFFTOPIC_QUESTION = "What is the best recipe for pancakes?"
ARABIC_QUESTION = "ما هي حقوق العمال المهاجرين إذا صادر صاحب العمل جواز السفر؟"


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def base_url(api_server: str) -> str:
    return api_server


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get update && apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageProblems:
    """JavaScript exceptions and CSP violations seen by a page: the page must produce none."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.items: list[str] = []
        page.on("pageerror", lambda exc: self.items.append(f"pageerror: {exc}"))
        page.on("console", self._console)

    def _console(self, msg) -> None:  # type: ignore[no-untyped-def]
        text = msg.text
        if msg.type == "error" and ("Content Security Policy" in text or "Uncaught" in text):
            self.items.append(f"console: {text}")


@pytest.fixture
def open_page(browser, base_url: str):  # type: ignore[no-untyped-def]
    contexts = []

    def _open(url: str | None = None, **context_options):  # type: ignore[no-untyped-def]
        context_options.setdefault("locale", "en-GB")
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(120_000)  # a busy 2-core machine; no timing is asserted
        page.problems = PageProblems(page)
        page.goto(url or base_url + "/")
        page.wait_for_selector("#language option", state="attached")
        return page

    yield _open
    for c in contexts:
        c.close()


# ---------------------------------------------------------------- helpers

def ask(page, question: str, *, persona: str | None = None, language: str | None = None,  # type: ignore[no-untyped-def]
        country: str | None = None) -> tuple[int, dict | None, dict]:
    if persona:
        page.check(f'input[name="persona"][value="{persona}"]')
    if language:
        page.select_option("#language", language)
    if country:
        page.select_option("#country", country)
    before = page.locator("#conversation .message.answer").count()
    page.fill("#question", question)
    with page.expect_response(re.compile(r"/v1/ask$")) as info:
        page.click("#send")
    response = info.value
    page.wait_for_function(
        "n => document.querySelectorAll('#conversation .message.answer').length > n", arg=before)
    return response.status, response.json(), json.loads(response.request.post_data)


def last_answer(page):  # type: ignore[no-untyped-def]
    return page.locator("#conversation .message.answer").last


def shot(page, name: str, full_page: bool = False) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    if full_page:  # sticky bars are drawn where the viewport was: show the page from its top
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full_page)
    return path


def assert_no_storage(page) -> None:  # type: ignore[no-untyped-def]
    stored = page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
    assert stored == [0, 0, ""], stored
    assert page.context.cookies() == []


def assert_in_viewport(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(selector).bounding_box()
    vp = page.viewport_size
    assert box is not None, f"{selector} not rendered"
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= vp["width"] + 0.5, (selector, box)
    assert box["y"] + box["height"] <= vp["height"] + 0.5, (selector, box)


def overflowing(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Elements sticking out sideways (the page must never scroll horizontally)."""
    return page.evaluate("""() => {
        const w = document.documentElement.clientWidth, out = [];
        if (document.documentElement.scrollWidth > w) out.push('document ' + document.documentElement.scrollWidth);
        for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width && (r.right > w + 1 || r.left < -1) && !e.closest('.visually-hidden'))
                out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
        }
        return out;
    }""")


CONTRAST_JS = """(selectors) => {
    const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 :
        Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const bg = e => { for (; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
    const out = [];
    for (const s of selectors) for (const e of document.querySelectorAll(s)) {
        if (!e.offsetParent && getComputedStyle(e).position !== 'fixed') continue;
        const a = lum(parse(getComputedStyle(e).color).slice(0, 3)), b = lum(bg(e));
        out.push([s, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
    }
    return out;
}"""


def low_contrast(page, selectors: list[str]) -> list:  # type: ignore[no-untyped-def]
    ratios = page.evaluate(CONTRAST_JS, selectors)
    assert ratios, "no element checked"
    return [(s, round(r, 2)) for s, r in ratios if r < 4.5]


# ---------------------------------------------------------------- scenarios

def test_rights_question_shows_citations_that_expand(open_page) -> None:
    page = open_page()
    status, body, sent = ask(page, RIGHTS_QUESTION, persona="practitioner", country="GB")
    assert sent == {"question": RIGHTS_QUESTION, "persona": "practitioner", "language": "en", "country": "GB"}
    assert status == 200
    assert not body["abstained"], body["answer"]
    assert body["citations"], "a rights question must come back with citations"
    answer = last_answer(page)
    refs = answer.locator("button.cite-ref")
    assert refs.count() >= 1, "the [n] markers in the answer must become buttons"
    first = refs.first
    n = int(first.inner_text().strip("[]"))
    citation = next(c for c in body["citations"] if c["n"] == n)
    quote = answer.locator(f"#{first.get_attribute('aria-controls')} blockquote")
    assert not quote.is_visible() and first.get_attribute("aria-expanded") == "false"

    first.click()
    assert quote.is_visible()
    assert first.get_attribute("aria-expanded") == "true"
    # Rendered as text, exactly: the passage, its document and its location.
    assert quote.text_content() == (citation["quote"] or citation["text"])
    meta = answer.locator(f"#{first.get_attribute('aria-controls')} .cite-meta").inner_text()
    assert citation["document_id"] in meta and citation["location"] in meta
    assert answer.locator(":scope > .sources li").count() == len(body["citations"])
    if body["frameworks"]:  # practitioners get framework cards, each with its own sources
        cards = answer.locator(".framework-card")
        assert cards.count() == len(body["frameworks"])
        assert cards.first.locator("h4").inner_text() == body["frameworks"][0]["name"]
    shot(page, "chat-practitioner.png", full_page=True)
    assert page.get_attribute("#conversation", "aria-live") == "polite"
    assert_no_storage(page)
    assert page.problems.items == []


def test_urgent_question_puts_hotlines_first(open_page) -> None:
    page = open_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                     has_touch=True)
    status, body, _ = ask(page, URGENT_QUESTION, country="GB")
    assert status == 200
    esc = body["escalation"]
    assert esc["level"] == "urgent", esc["reasons"]
    answer = last_answer(page)
    block = answer.locator(".escalation.urgent")
    assert block.count() == 1
    # First in reading order (after the hidden speaker label) and above any answer text on screen.
    first_visible = answer.evaluate(
        "a => [...a.children].find(c => !c.classList.contains('visually-hidden')).className")
    assert "escalation" in first_visible
    if answer.locator(".answer-text").count():
        assert block.bounding_box()["y"] < answer.locator(".answer-text").bounding_box()["y"]
    assert esc["emergency_number"], "GB has an emergency number in the directory"
    number = block.locator("a.emergency-number")
    assert number.is_visible() and esc["emergency_number"] in number.inner_text()
    assert_in_viewport(page, "#conversation .message.answer >> nth=-1 >> a.emergency-number")  # no scrolling
    assert number.get_attribute("href") == "tel:" + re.sub(r"[^\d+*#]", "", esc["emergency_number"])
    assert esc["hotlines"]
    for h in esc["hotlines"]:
        assert block.get_by_text(h["name"], exact=True).first.is_visible()
        assert answer.inner_text().count(h["name"]) == 1  # listed once, not again in the answer text
    shot(page, "chat-urgent.png")
    assert page.problems.items == []


def test_urgent_block_stays_above_any_answer_text(open_page) -> None:
    # The real urgent answer carries only the hotline message; give it a document passage too (as a
    # later composer might) to check the order on screen.
    def with_extra_text(route) -> None:  # type: ignore[no-untyped-def]
        response = route.fetch()
        body = response.json()
        body["answer"] = "Passports must not be confiscated by employers. " + body["answer"]
        route.fulfill(response=response, json=body)

    page = open_page()
    page.route("**/v1/ask", with_extra_text)
    status, body, _ = ask(page, URGENT_QUESTION, country="GB")
    assert status == 200 and body["escalation"]["level"] == "urgent"
    answer = last_answer(page)
    text = answer.locator(".answer-text")
    assert text.inner_text() == "Passports must not be confiscated by employers."
    assert answer.locator(".escalation.urgent").bounding_box()["y"] < text.bounding_box()["y"]


def test_no_answer_offers_a_person(open_page) -> None:
    page = open_page()
    status, body, _ = ask(page, OFFTOPIC_QUESTION)
    assert status == 200 and body["abstained"]
    answer = last_answer(page)
    assert "abstained" in answer.get_attribute("class")
    assert answer.locator(".cite-ref").count() == 0
    with page.expect_response(re.compile(r"/v1/hotlines\?")):
        answer.get_by_role("button", name="Talk to a person").click()
    page.wait_for_selector("#hotline-panel .hotline")
    assert page.get_attribute("#talk-to-person", "aria-expanded") == "true"


def test_talk_to_a_person_lists_hotlines(open_page) -> None:
    page = open_page()
    page.select_option("#country", "GB")
    with page.expect_response(re.compile(r"/v1/hotlines\?")) as info:
        page.click("#talk-to-person")
    response = info.value
    assert "country=GB" in response.url and "language=en" in response.url
    assert response.status == 200
    data = response.json()
    hotlines = data if isinstance(data, list) else data["hotlines"]
    assert hotlines
    assert page.get_attribute("#talk-to-person", "aria-expanded") == "true"
    panel = page.locator("#hotline-panel")
    page.wait_for_selector("#hotline-panel .hotline")
    assert panel.locator(".hotline").count() == len(hotlines)
    assert panel.get_by_text(hotlines[0]["name"], exact=True).first.is_visible()
    page.click("#talk-to-person")
    assert not panel.is_visible()


def test_controls_are_labelled_and_quick_exit_comes_first(open_page) -> None:
    page = open_page()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "talk-to-person"
    for role, name in [("button", "Quick exit"), ("button", "Talk to a person"), ("radio", "I need help"),
                       ("radio", "I work with migrants"), ("combobox", "Language"), ("combobox", "Country"),
                       ("textbox", "Your message"), ("button", "Send")]:
        assert page.get_by_role(role, name=name, exact=True).count() == 1, (role, name)
    assert page.get_by_role("log", name="Conversation").get_attribute("aria-live") == "polite"
    # Persona, language and country reach the API from these controls (checked in the rights test).
    assert sorted(page.eval_on_selector_all("#language option", "os => os.map(o => o.value)")) == sorted(
        ["en", "fr", "es", "pt", "ar", "tl", "id", "ne", "hi", "bn"])


def test_quick_exit_button_leaves_for_a_neutral_site(open_page, base_url: str) -> None:
    page = open_page()
    page.route(NEUTRAL, lambda route: route.fulfill(content_type="text/html",
                                                  body="<html><body><p>weather</p></body></html>"))
    page.fill("#question", "a private question")
    page.click("#quick-exit")
    page.wait_for_url(NEUTRAL)
    assert page.locator("body").inner_text().strip() == "weather"
    page.go_back()  # location.replace: Back must not lead to the conversation
    assert not page.url.startswith(base_url)


def test_escape_twice_wipes_the_page_first(open_page, base_url: str) -> None:
    page = open_page()
    # Abort the neutral navigation so the wiped page stays observable.
    page.route(NEUTRAL, lambda route: route.abort("aborted"))
    page.fill("#question", "a private question")
    page.focus("#question")
    page.keyboard.press("Escape")
    assert page.locator("#quick-exit").is_visible()  # one Escape alone does nothing
    with page.expect_request(NEUTRAL):
        page.keyboard.press("Escape")
    page.wait_for_function("() => document.body.childElementCount === 0")
    assert "private question" not in page.content()
    assert_no_storage(page)


def test_422_shows_the_detail_kindly(open_page) -> None:
    page = open_page()

    def invalid_country(route) -> None:  # type: ignore[no-untyped-def]
        payload = json.loads(route.request.post_data)
        payload["country"] = "ZZZ"  # the real API rejects it with its own 422 detail
        route.continue_(post_data=json.dumps(payload))

    page.route("**/v1/ask", invalid_country)
    status, body, _ = ask(page, RIGHTS_QUESTION)
    assert status == 422 and isinstance(body["detail"], str)
    error = last_answer(page).locator(".error")
    assert "could not use that message" in error.inner_text()
    assert body["detail"] in error.inner_text()
    assert page.is_enabled("#send")


def test_503_shows_the_hotlines_the_api_returned(open_page) -> None:
    page = open_page()
    escalation = {
        "level": "refer", "reasons": ["retrieval_unavailable"], "topics": [], "emergency_number": "999",
        "message": "", "handoff_available": False,
        "hotlines": [{"id": "gb-msh", "name": "Modern Slavery Helpline", "organisation": "Unseen <b>UK</b>",
                      "country": "GB", "topics": ["trafficking"], "phone": "08000 121 700", "sms": None,
                      "whatsapp": None, "web": "javascript:alert(1)", "languages": ["en"], "hours": "24/7",
                      "source": "https://example.org", "verified_on": "2026-11-01"}],
    }
    page.route("**/v1/ask", lambda route: route.fulfill(
        status=503, content_type="application/json",
        body=json.dumps({"detail": "search is down", "escalation": escalation})))
    status, _, _ = ask(page, RIGHTS_QUESTION)
    assert status == 503
    answer = last_answer(page)
    assert "cannot search its documents right now" in answer.locator(".error").inner_text()
    assert answer.get_by_text("Modern Slavery Helpline", exact=True).is_visible()
    assert answer.locator('a[href="tel:08000121700"]').is_visible()
    assert answer.locator('a[href^="javascript:"]').count() == 0  # unsafe links are dropped
    assert answer.get_by_text("Unseen <b>UK</b>", exact=True).is_visible()  # text, never markup
    assert answer.locator("b").count() == 0
    assert answer.locator("a.emergency-number").inner_text().endswith("999")


def test_api_down_shows_a_kind_message(open_page) -> None:
    from fastapi import FastAPI
    from fastapi.responses import FileResponse
    from fastapi.staticfiles import StaticFiles

    from tests.conftest import ServerThread, free_port

    static = REPO / "api" / "static"
    app = FastAPI()
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.get("/")(lambda: FileResponse(static / "index.html"))
    with ServerThread(app, free_port()) as server:
        page = open_page(server.url + "/")
    # The server is stopped now: the page is loaded, the API is gone.
    page.fill("#question", RIGHTS_QUESTION)
    page.click("#send")
    error = page.locator("#conversation .message.answer .error")
    error.wait_for()
    assert "cannot reach Passage right now" in error.inner_text()
    assert page.is_enabled("#send")


def test_phone_screen(open_page) -> None:
    page = open_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                     has_touch=True)
    shot(page, "chat-phone-empty.png")
    status, _, _ = ask(page, RIGHTS_QUESTION, country="GB")
    assert status == 200
    last_answer(page).locator("button.cite-ref").first.click()
    shot(page, "chat-phone.png")
    shot(page, "chat-phone-full.png", full_page=True)
    for selector in ("#quick-exit", "#talk-to-person", "#question", "#send"):
        assert_in_viewport(page, selector)
    assert overflowing(page) == []
    assert low_contrast(page, [
        "#quick-exit", "#talk-to-person", "#send", ".brand", "legend", ".role label span", ".selects label",
        ".message p", ".cite-ref", ".citation summary", ".quote", ".cite-meta", ".intro",
    ]) == []
    assert page.problems.items == []


def test_arabic_is_right_to_left(open_page) -> None:
    page = open_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                     has_touch=True, locale="ar")
    assert page.input_value("#language") == "ar"  # picked from the browser's language
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.inner_text("#send") == "إرسال"
    status, body, sent = ask(page, ARABIC_QUESTION, language="ar", country="GB")
    assert sent["language"] == "ar"
    assert status == 200
    assert body["language"] == "ar"
    directions = page.evaluate("""() => ['html', 'body', '#conversation', '#question', '.message.answer']
        .map(s => getComputedStyle(document.querySelector(s)).direction)""")
    assert directions == ["rtl"] * 5
    shot(page, "chat-arabic-rtl.png")
    shot(page, "chat-arabic-rtl-full.png", full_page=True)
    for selector in ("#quick-exit", "#talk-to-person", "#question", "#send"):
        assert_in_viewport(page, selector)
    # Right-to-left: the message box starts on the right, so the send button sits left of it.
    assert page.locator("#send").bounding_box()["x"] < page.locator("#question").bounding_box()["x"]
    assert overflowing(page) == []
    assert page.problems.items == []
