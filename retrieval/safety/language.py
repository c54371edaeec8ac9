"""Language detection for triage, and the text folding the lexicons match against.

py3langid alone is unreliable on the short, informal messages people in trouble send ("tulong po", "saya
dikurung"), so the decision combines three kinds of evidence, strongest first:
1. script: Arabic, Bengali and Devanagari letters settle the language (Devanagari then splits Nepali/Hindi on
   function words, which differ: छ/छैन/मलाई/हो vs है/नहीं/मुझे/का);
2. function-word lexicons (including Arabizi, Taglish and romanised Hindi/Nepali/Bengali markers);
3. py3langid restricted to the supported languages, as the tie-breaker.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SUPPORTED: tuple[str, ...] = ("en", "fr", "es", "pt", "ar", "tl", "id", "ms", "ne", "hi", "bn")

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_BENGALI = re.compile(r"[\u0980-\u09FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_ARABIC_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")  # harakat, tatweel
# split on spaces and punctuation only: \w excludes Indic vowel signs, which would cut words in two
_TOKEN = re.compile(r"[^\s.,!?;:\"'()\[\]{}،؟۔।॥|/\\*+=<>~-]+")

# Devanagari: words that occur in one of the two languages and hardly ever in the other.
_NEPALI_MARKERS = frozenset(
    [
        "छ",
        "छु",
        "छौं",
        "छन्",
        "छैन",
        "छैनौं",
        "छौ",
        "हो",
        "होइन",
        "भयो",
        "गर्छ",
        "गर्नु",
        "गरेको",
        "मलाई",
        "हामीलाई",
        "तिमी",
        "मेरो",
        "हाम्रो",
        "थियो",
        "दिँदैन",
        "दिदैन",
        "सक्दिन",
        "कसरी",
        "पनि",
        "लागि",
        "भने",
        "गर्ने",
        "सकेको",
        "राखेको",
        "थुनेको",
    ]
)
_HINDI_MARKERS = frozenset(
    [
        "है",
        "हैं",
        "नहीं",
        "मुझे",
        "मुझसे",
        "हमें",
        "मेरा",
        "मेरी",
        "मेरे",
        "हम",
        "का",
        "की",
        "के",
        "में",
        "रहा",
        "रही",
        "रहे",
        "था",
        "थी",
        "कर",
        "करो",
        "दिया",
        "कैसे",
        "क्या",
        "बस",
        "लिए",
        "गया",
    ]
)
# Latin-script markers: frequent function words and a few telling content words per language.
_LATIN_MARKERS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "is",
            "are",
            "i",
            "im",
            "my",
            "we",
            "our",
            "they",
            "not",
            "dont",
            "cant",
            "wont",
            "please",
            "help",
            "with",
            "what",
            "how",
        ]
    ),
    "fr": frozenset(
        [
            "je",
            "j",
            "suis",
            "nous",
            "on",
            "est",
            "les",
            "des",
            "une",
            "le",
            "la",
            "mon",
            "ma",
            "mes",
            "pas",
            "ne",
            "au",
            "et",
            "pour",
            "avec",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "los",
            "las",
            "del",
            "y",
            "mi",
            "nos",
            "estoy",
            "quiero",
            "voy",
            "estan",
            "estamos",
            "jaja",
            "esto",
            "estos",
            "porque",
            "hay",
            "nadie",
            "ahora",
            "ahorita",
            "tengo",
            "mucho",
            "muy",
            "pero",
            "ya",
            "jefe",
            "deuda",
            "ayuda",
            "senor",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "os",
            "um",
            "meu",
            "minha",
            "nao",
            "estou",
            "estao",
            "vou",
            "ta",
            "pra",
            "gente",
            "com",
            "voce",
            "socorro",
            "tem",
            "muito",
            "agora",
            "ninguem",
            "nossos",
            "essa",
            "isso",
            "ha",
            "divida",
            "salario",
            "patrao",
            "quarto",
            "mais",
        ]
    ),
    "tl": frozenset(
        [
            "po",
            "ako",
            "kami",
            "ko",
            "ng",
            "sa",
            "ang",
            "mga",
            "namin",
            "nila",
            "hindi",
            "di",
            "yung",
            "na",
            "naman",
            "lang",
            "ba",
            "tulong",
            "siya",
            "sya",
        ]
    ),
    "id": frozenset(
        [
            "aku",
            "tidak",
            "gak",
            "nggak",
            "ga",
            "enggak",
            "sudah",
            "udah",
            "belum",
            "bisa",
            "mau",
            "sekarang",
            "teman",
            "adik",
            "paspor",
            "utang",
            "buat",
            "cuma",
            "soal",
            "bagaimana",
            "banyak",
            "bagi",
            "sendirian",
            "kenapa",
            "dong",
        ]
    ),
    "ms": frozenset(
        [
            "tak",
            "nak",
            "dah",
            "sahaja",
            "kerana",
            "pasal",
            "macam",
            "kawan",
            "budak",
            "teruk",
            "pasport",
            "hutang",
            "duit",
            "imigresen",
            "tu",
            "tiada",
            "betul",
            "sangat",
            "lagi",
        ]
    ),
    "ar": frozenset(
        [
            "ana",
            "enta",
            "inta",
            "w",
            "wa",
            "fi",
            "ma",
            "mish",
            "msh",
            "bas",
            "bdi",
            "baddi",
            "ya3ni",
            "wallah",
            "el",
            "3am",
            "ma3na",
        ]
    ),
    "hi": frozenset(
        [
            "hai",
            "hain",
            "nahi",
            "nahin",
            "mujhe",
            "hume",
            "humein",
            "mera",
            "meri",
            "karo",
            "kar",
            "diya",
            "rahe",
            "hum",
            "aur",
        ]
    ),
    "ne": frozenset(
        ["cha", "chha", "chhu", "malai", "hami", "mero", "garnu", "garyo", "bachau", "thiyo", "chaina", "le"]
    ),
    "bn": frozenset(
        ["ami", "amake", "amar", "amader", "bachao", "korche", "kore", "rekheche", "ache", "nei", "na"]
    ),
}
_MALAY_COMMON = frozenset(
    [
        "saya",
        "kami",
        "kita",
        "dan",
        "yang",
        "di",
        "ini",
        "itu",
        "tolong",
        "majikan",
        "dengan",
        "untuk",
        "ada",
        "apa",
        "tanya",
    ]
)
_ARABIZI_WORD = re.compile(r"(?<![0-9])[a-z]*[a-z][2379][a-z]+|(?<![0-9])[2379][a-z]{2,}")


def fold(text: str) -> str:
    """Lowercase, strip Latin accents and Arabic diacritics, unify apostrophes and spacing.

    Only combining marks on Latin letters are dropped: Devanagari and Bengali vowel signs are combining marks
    too, and removing them would change the words.
    """
    text = unicodedata.normalize("NFKD", text.lower())
    out: list[str] = []
    base_is_latin = False
    for ch in text:
        if unicodedata.combining(ch):
            if base_is_latin:
                continue
        else:
            base_is_latin = ch < "\u0250"
        out.append(ch)
    text = unicodedata.normalize("NFC", "".join(out))
    text = _ARABIC_DIACRITICS.sub("", text)
    text = re.sub("[أإآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه").replace("ؤ", "و").replace("ئ", "ي")
    text = re.sub("[’‘`´]", "'", text)
    text = re.sub("[¿¡]", " ", text)  # Spanish opening marks would hide a question word from "^(que|como)..."
    return re.sub(r"\s+", " ", text).strip()


def tokens(folded: str) -> list[str]:
    return _TOKEN.findall(folded)


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import _load_identifier

    # a private identifier (not the module-global one) restricted to the Latin-script languages we support
    return _load_identifier(norm_probs=True, langs=["en", "fr", "es", "pt", "tl", "id", "ms"])


def _langid(text: str) -> tuple[str, float]:
    try:
        lang, prob = _identifier().classify(text)
        return str(lang), float(prob)
    except Exception:  # noqa: BLE001 — the detector is a tie-breaker; never let it break triage
        return "en", 0.0


def detect_language(text: str) -> str:
    """ISO 639-1 code of the message, one of SUPPORTED ('en' when there is nothing to go on)."""
    if not text or not text.strip():
        return "en"
    counts = {
        "ar": len(_ARABIC.findall(text)),
        "dev": len(_DEVANAGARI.findall(text)),
        "bn": len(_BENGALI.findall(text)),
        "latin": len(_LATIN.findall(text)),
    }
    script = max(counts, key=lambda k: counts[k])
    if counts[script] == 0:
        return "en"
    folded = fold(text)
    words = tokens(folded)
    if script == "ar":
        return "ar"
    if script == "bn":
        return "bn"
    if script == "dev":
        # Nepali verbs end in छ/छु/छन्/छौं; its case endings लाई/ले/मा attach to the noun
        ne = sum(
            w in _NEPALI_MARKERS
            or w.endswith(("छ", "छु", "छन्", "छौं"))
            or (len(w) > 3 and w.endswith(("लाई", "ले", "मा")))
            for w in words
        )
        hi = sum(w in _HINDI_MARKERS for w in words)
        return "ne" if ne > hi else "hi"
    scores = {lang: sum(w in markers for w in words) for lang, markers in _LATIN_MARKERS.items()}
    scores["ar"] += 2 * len(_ARABIZI_WORD.findall(folded))
    shared = sum(w in _MALAY_COMMON for w in words)  # Indonesian and Malay share most function words
    scores["id"] += shared
    scores["ms"] += shared
    lang, prob = _langid(text)
    scores[lang] = scores.get(lang, 0) + (2.0 if prob > 0.9 else 1.0)
    best = max(scores, key=lambda k: scores[k])
    # code-switching (Taglish, Arabizi with English words): answer in the home language it shows
    if best == "en":
        for mixed in ("tl", "ar"):
            if scores[mixed] >= 2:
                return mixed
    if best in ("id", "ms") and scores["id"] == scores["ms"]:
        return lang if lang in ("id", "ms") else "id"
    return best
