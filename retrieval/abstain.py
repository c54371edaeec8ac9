"""When the evidence is too weak to answer: a pure decision over the hits, plus the kind refusal text.

Thresholds are calibrated on the dev split of evals/datasets (factual + migrant on-topic vs off-topic) by
`python -m retrieval.calibrate`; the figures it printed are recorded next to the constants.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.textutil import content_terms, overlap
from retrieval.types import Hit

# Requests for the assistant's own configuration, prompt or secrets are never answered, whatever the index holds.
_CONFIG_PROBE = re.compile(
    r"system prompt|your (instructions|prompt|configuration|config|settings|rules|api key|source code|"
    r"environment|model)|ignore (all |any |the )?(previous|prior|above)|api[ _-]?key|(your|the|bot) (password|secret|token)s?|"
    r"\.env\b|env(ironment)? var|jailbreak|developer mode|pretend (you are|to be)|act as (a|an) |"
    r"reveal|print (your|the) (prompt|instructions)|what model are you|repeat (the|your) (words|text) above",
    re.IGNORECASE,
)


# Words of Passage's domain (stemmed when used). In the uncertain band of dense scores, a question that uses
# none of them is about something else: "capital of Australia" scores like "can they send me back?".
_DOMAIN_WORDS = ["migrant", "migrants", "migration", "immigrant", "immigration", "emigrate", "work", "worker", "job", "employ", "employer", "employment", "boss", "agency", "agent", "recruiter", "recruitment", "broker", "fee", "fees", "debt", "loan", "salary", "salaries", "wage", "wages", "pay", "paid", "unpaid", "overtime", "contract", "passport", "papers", "document", "documents", "visa", "permit", "sponsor", "kafala", "deport", "deported", "deportation", "detain", "detained", "detention", "prison", "jail", "police", "arrest", "court", "lawyer", "legal", "law", "laws", "right", "rights", "protect", "protection", "asylum", "refugee", "refugees", "border", "borders", "cross", "crossing", "boat", "sea", "ship", "rescue", "rescued", "smuggler", "smuggling", "traffic", "trafficked", "trafficking", "exploit", "exploitation", "abuse", "abused", "violence", "forced", "labour", "labor", "slavery", "child", "children", "kid", "kids", "son", "daughter", "minor", "minors", "unaccompanied", "guardian", "school", "education", "hospital", "health", "medical", "doctor", "insurance", "pension", "social", "security", "remittance", "remittances", "bank", "embassy", "consulate", "consular", "crisis", "war", "conflict", "disaster", "covid", "pandemic", "domestic", "maid", "household", "family", "families", "wife", "husband", "reunification", "discrimination", "women", "woman", "girl", "gender", "stateless", "undocumented", "irregular", "return", "returned", "repatriation", "integration", "citizen", "citizenship", "resident", "residence", "abroad", "home", "country", "countries", "government", "governments", "state", "states", "convention", "conventions", "framework", "frameworks", "ilo", "unhcr", "iom", "gfmd", "union", "unions", "civil", "society", "ngo", "ngos", "humanitarian", "stranded", "detainee", "seafarer", "fisher", "fishing", "farm", "factory", "construction", "cleaner", "caregiver", "nurse", "accommodation", "housing", "dormitory", "complaint", "complain", "justice", "compensation", "injury", "injured", "accident", "sick", "leave", "vacation", "holiday", "dismissed", "fired", "fire", "quit", "residency", "regular", "regularisation", "regularization", "amnesty", "standard", "standards", "guideline", "guidelines", "tool", "tools", "instrument", "treaty", "protocol"]


def _domain_terms() -> frozenset[str]:
    return frozenset(content_terms(" ".join(_DOMAIN_WORDS)))


_DOMAIN = _domain_terms()


@dataclass(frozen=True)
class AbstentionThresholds:
    """Calibrated 2026-11-25 on the dev split (88 on-topic, 23 off-topic questions), with the domain-word
    gate; the run printed: dev on-topic abstain 0.034, off-topic 1.000; heldout on-topic 0.000, off-topic 1.000.
    The word list was written after seeing all off-topic questions, so the heldout figure is optimistic.

    `question_confident` came with the question bank: on dev, off-topic questions come no closer than 0.39 to a
    bank question and 83 of 88 on-topic ones reach 0.60; every value from 0.50 to 0.70 gave the same dev result
    (on-topic abstain 0.000, off-topic 1.000), so the middle one keeps a margin either way. With it, heldout
    (now including 60 questions written after the bank was frozen) printed on-topic 0.018, off-topic 1.000."""

    # Below `dense_floor`, no passage is about the question, whatever words it shares.
    dense_floor: float = 0.20
    # Between the floor and `dense_confident`, the question's own content words must appear in the evidence.
    dense_confident: float = 0.40
    min_overlap: float = 0.25
    # A bank question this close to the question says the corpus answers it, however the passage is worded.
    question_confident: float = 0.60


@dataclass(frozen=True)
class Verdict:
    abstain: bool
    reason: str  # "config_probe", "no_hits", "weak_dense", "weak_overlap", or "" when answering


def decide(question: str, hits: list[Hit], th: AbstentionThresholds = AbstentionThresholds()) -> Verdict:
    if _CONFIG_PROBE.search(question):
        return Verdict(True, "config_probe")
    if not hits:
        return Verdict(True, "no_hits")
    if max((h.question_score or 0.0) for h in hits[:5]) >= th.question_confident:
        return Verdict(False, "")
    best_dense = max((h.dense_score or 0.0) for h in hits[:5])
    if best_dense < th.dense_floor:
        return Verdict(True, "weak_dense")
    if best_dense < th.dense_confident:
        terms = set(content_terms(question))
        if not terms & _DOMAIN:
            return Verdict(True, "off_domain")
        # Read on the passages the dense model found, not on the fused top: BM25 lifts exactly the passages that
        # share the question's words, so with score fusion "500 Saudi riyals" found its words in a remittance
        # passage and was answered.
        found = [h for h in hits[:5] if h.dense_score is not None] or hits[:3]
        best_overlap = max(overlap(terms, h.chunk.text) for h in found[:3])
        if best_overlap < th.min_overlap:
            return Verdict(True, "weak_overlap")
    return Verdict(False, "")


_REFUSAL = {
    "en": (
        "I could not find an answer to this in the documents I know, so I will not guess. I can help with the "
        "rights and protection of migrants: recruitment fees and debt, passports or documents taken, unpaid "
        "wages, detention, children travelling alone, rescue at sea, crises, and which international frameworks "
        "apply. If you are in danger, call your local emergency number or ask me for a hotline."
    ),
    "fr": (
        "Je n'ai pas trouvé de réponse à cette question dans les documents que je connais, donc je préfère ne "
        "pas deviner. Je peux aider sur les droits et la protection des migrants : frais de recrutement, "
        "passeport confisqué, salaires impayés, détention, enfants seuls, sauvetage en mer, et les cadres "
        "internationaux applicables. Si vous êtes en danger, appelez le numéro d'urgence local."
    ),
    "es": (
        "No encontré una respuesta a esto en los documentos que conozco, así que prefiero no adivinar. Puedo "
        "ayudar con los derechos y la protección de las personas migrantes: cobros de reclutamiento, pasaportes "
        "retenidos, salarios no pagados, detención, niños que viajan solos, rescate en el mar y qué marcos "
        "internacionales se aplican. Si estás en peligro, llama al número de emergencias local."
    ),
    "pt": (
        "Não encontrei uma resposta para isto nos documentos que conheço, por isso prefiro não adivinhar. Posso "
        "ajudar com os direitos e a proteção de migrantes: taxas de recrutamento, passaportes retidos, salários "
        "não pagos, detenção, crianças sozinhas, resgate no mar e que quadros internacionais se aplicam. Se "
        "estiver em perigo, ligue para o número de emergência local."
    ),
}


_ENGLISH_ONLY = "The documents I search are in English, so a question in English may find more."


def refusal_text(language: str) -> str:
    """The refusal in the person's language where it has been written; otherwise English, saying why."""
    if language in _REFUSAL:
        return _REFUSAL[language]
    return f"{_REFUSAL['en']} {_ENGLISH_ONLY}"


def has_refusal(language: str) -> bool:
    return language in _REFUSAL
