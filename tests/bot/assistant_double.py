"""A stand-in with the Assistant's ask()/hotlines() signatures, for developing the bot while the real one is
being written (PASSAGE_BOT_TEST_DOUBLE=1). The suite runs against the real Assistant otherwise."""
from __future__ import annotations

import datetime as dt

from knowledge.schema import Chunk
from retrieval.errors import RetrievalUnavailable
from retrieval.types import Answer, Citation, Escalation, FrameworkSuggestion, Hotline

HOTLINE = Hotline(id="ar-line", name="خط المساعدة", organisation="Help & Co <Org>", country="global",
                  topics=["trafficking"], phone="+1 555 0100", languages=["ar", "en"], source="test",
                  verified_on=dt.date(2026, 1, 1))
CHUNK = Chunk(id="c1", document_id="mfa-2013-asia-pacific-recommendations", title="MFA <Recommendations>",
              location="§ Recruitment, para. 2", text="Agencies should not charge fees.")


class ScriptedAssistant:
    def __init__(self) -> None:
        self.fail = False

    def ask(self, question: str, persona: str | None = None, language: str | None = None,
            country: str | None = None) -> Answer:
        if "حبسونا" in question or "locked me" in question:
            lang = "ar" if "حبسونا" in question else "en"
            message = "اتصل الآن بهذه الأرقام" if lang == "ar" else "Call these numbers now"
            esc = Escalation(level="urgent", reasons=["confinement"], topics=["trafficking"], hotlines=[HOTLINE],
                             emergency_number="112", message=message)
            return Answer(text=message, escalation=esc, language=lang, persona="migrant",
                          generated_by="escalation", country=country)
        if self.fail:
            raise RetrievalUnavailable("down")
        persona = persona or ("practitioner" if "my client" in question else "migrant")
        citation = Citation(n=1, chunk=CHUNK, quote="Agencies should not charge fees.", score=1.0)
        frameworks = [FrameworkSuggestion(id="cedaw", name="CEDAW", issuer="UN", kind="treaty", score=1.0,
                                          why=["population: women"], key_provisions=["Art. 11"])]
        level = "refer" if "passport" in question else "none"
        esc = Escalation(level=level, reasons=["documents"] if level == "refer" else [],
                         hotlines=[HOTLINE] if level == "refer" else [], message="Someone can help:" if level ==
                         "refer" else "")
        return Answer(text="Agencies should not charge fees [1] & more.", citations=[citation],
                      frameworks=frameworks if persona == "practitioner" else [], escalation=esc,
                      persona=persona, language=language or "en", country=country)

    def hotlines(self, country: str | None = None, topic: str | None = None,
                 language: str | None = None) -> list[Hotline]:
        return [HOTLINE]
