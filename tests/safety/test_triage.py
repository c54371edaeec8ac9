"""Triage levels in every supported language, negation, hyperbole, framing, and the failure paths."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from retrieval.safety import Triage, detect_language

# (language, urgent, refer, none) — written fresh for the tests, not copied from the eval set
CASES = {
    "en": (
        "help they locked us in the warehouse and took our phones",
        "my employer is keeping my passport",
        "what rights do domestic workers have to a weekly rest day?",
    ),
    "fr": (
        "au secours le bateau coule, l'eau entre partout",
        "je n'ai pas ete paye depuis trois mois",
        "comment demander un titre de sejour pour etudes ?",
    ),
    "es": (
        "mi patron me encerro en el cuarto y no me deja salir",
        "el patron se quedo con mi pasaporte",
        "como saco una cita en el consulado",
    ),
    "pt": (
        "socorro, o barco esta afundando",
        "meu patrao nao me pagou o salario",
        "como faco para validar meu diploma?",
    ),
    "ar": ("الكفيل حبسني في الغرفة", "الكفيل اخذ جوازي", "كيف اجدد جواز السفر في السفارة؟"),
    "tl": (
        "tulong, ikinulong ako ng amo ko",
        "kinuha ng agency ang passport ko",
        "paano mag-renew ng passport sa embassy?",
    ),
    "id": (
        "tolong, saya dikurung majikan",
        "paspor saya ditahan agen",
        "bagaimana cara kirim uang ke rumah?",
    ),
    "ms": (
        "tolong, majikan kurung saya, tak boleh keluar",
        "gaji tak dibayar dua bulan",
        "macam mana nak tukar majikan?",
    ),
    "ne": ("मालिकले मलाई कोठामा थुनेको छ", "तलब पाएको छैन", "भिसा कसरी नवीकरण गर्ने?"),
    "hi": ("मालिक ने मुझे कमरे में बंद कर दिया है", "कंपनी ने मेरा पासपोर्ट रख लिया है", "घर पैसे कैसे भेजूँ?"),
    "bn": ("মালিক আমাকে ঘরে আটকে রেখেছে", "তিন মাস বেতন পাইনি", "দেশে টাকা কীভাবে পাঠাব?"),
}


@pytest.mark.parametrize("lang", sorted(CASES))
def test_each_level_in_each_language(triage: Triage, lang: str) -> None:
    urgent, refer, none = CASES[lang]
    assert triage.assess(urgent).level == "urgent"
    assert triage.assess(refer).level == "refer"
    assert triage.assess(none).level == "none"


@pytest.mark.parametrize("lang", sorted(CASES))
def test_language_is_detected(lang: str) -> None:
    detected = detect_language(CASES[lang][0])
    assert detected == lang or {detected, lang} <= {"id", "ms"}  # Indonesian and Malay share most words


def test_informal_variants(triage: Triage) -> None:
    assert triage.assess("sa3dooni el kafeel 7abasni").level == "urgent"  # Arabizi
    assert (
        triage.assess("please help, my amo locked me inside, hindi ako makalabas").level == "urgent"
    )  # Taglish
    assert triage.assess("ELLE EST SÉQUESTRÉE PAR SON EMPLOYEUR").level == "urgent"  # accents and capitals


@pytest.mark.parametrize(
    "text",
    [
        "I am not in danger, I just have a question about my contract",
        "no one is hurting me, I want to know about holidays",
        "nadie me esta pegando, solo quiero informacion",
        "म खतरामा छैन",
        "আমি বিপদে নেই",
        "saya tidak dalam bahaya",
    ],
)
def test_negation(triage: Triage, text: str) -> None:
    assert triage.assess(text).level == "none"


def test_negation_does_not_hide_a_negative_phrase(triage: Triage) -> None:
    # the negation is part of the danger: "won't let us leave", "cannot breathe"
    assert triage.assess("they won't let us leave the house").level == "urgent"
    assert triage.assess("my friend can't breathe").level == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "this paperwork is killing me",
        "I'm dying to see my family",
        "drowning in paperwork this week",
        "estos tramites me estan matando",
    ],
)
def test_hyperbole_is_not_urgent(triage: Triage, text: str) -> None:
    assert triage.assess(text).level == "none"


def test_third_person_current_emergency_is_urgent(triage: Triage) -> None:
    assert triage.assess("my brother's boat is sinking right now").level == "urgent"
    assert triage.assess("my sister is locked in by her employer").level == "urgent"


def test_practitioner_and_general_questions_are_not_escalated(triage: Triage) -> None:
    assert triage.assess("What protections apply when a boat is in distress?").level == "none"
    assert triage.assess("A client of mine had her passport taken. Which convention applies?").level == "none"


def test_practitioner_reporting_a_current_emergency_is_urgent(triage: Triage) -> None:
    assert triage.assess("my client is locked in by her employer right now, what do I do?").level == "urgent"


def test_reasons_never_carry_the_message(triage: Triage) -> None:
    text = "help they locked us in the warehouse near Rue Zenith 42"
    result = triage.assess(text)
    assert result.reasons and all(r.split(":")[0] in {"lex", "clf", "ngram", "frame"} for r in result.reasons)
    assert not any("zenith" in r.lower() or "warehouse" in r for r in result.reasons)


class _RaisingEmbedder:
    def embed(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("model not loaded")


def test_embedder_failure_keeps_rules(triage: Triage) -> None:
    t = Triage(_RaisingEmbedder())
    assert t.warm() is False
    result = t.assess("the boat is sinking, water is coming in")
    assert result.level == "urgent" and "sea_rescue" in result.topics


def test_garbage_input_never_raises(triage: Triage) -> None:
    for text in ["", "   ", "\x00\x01", "😀" * 500, "a" * 20000, None]:
        result = triage.assess(text)  # type: ignore[arg-type]
        assert result.level in {"none", "refer", "urgent"}


def test_given_language_is_kept(triage: Triage) -> None:
    assert triage.assess("help", language="fr").language == "fr"
    assert triage.assess("help", language="xx").language == "en"


@pytest.mark.slow
def test_classifier_only_raises_and_keeps_false_urgent_low(settings) -> None:  # type: ignore[no-untyped-def]
    from retrieval.embedder import get_embedder

    t = Triage(get_embedder(settings))
    rows = [
        json.loads(line)
        for line in (Path(__file__).resolve().parents[2] / "evals/datasets/safety.jsonl")
        .read_text()
        .splitlines()
    ]
    rules_only = Triage()
    order = ["none", "refer", "urgent"]
    non_urgent = [r for r in rows if r["expected_level"] != "urgent"]
    for r in rows:
        with_model, floor = t.assess(r["text"]), rules_only.assess(r["text"])
        assert order.index(with_model.level) >= order.index(floor.level)
    # Messages written for the safety set meet the issue's 5%. Migrants' rights questions (the retrieval eval's,
    # tagged rights_question) are over-escalated more often: 0.23 when they were added, 0.11 once a question about
    # rights caps the classifiers at refer, 0.08 with more question forms, 0.102 with the n-gram thresholds re-chosen
    # on the retired batches (there: 7 urgent missed and 24 false alarms instead of 8 and 41; here long questions
    # near P 0.5 became urgent), 0.075 with the hard non-urgent training lines; this bound keeps that known gap from
    # growing (retrieval/safety/README.md, "Migrants' rights questions").
    for tag, bound in ((False, 0.05), (True, 0.10)):
        part = [r for r in non_urgent if ("rights_question" in r.get("tags", [])) == tag]
        false_urgent = sum(t.assess(r["text"]).level == "urgent" for r in part)
        assert part and false_urgent / len(part) <= bound, (tag, false_urgent, len(part))


def test_practitioner_persona_case_is_refer_unless_immediate(triage: Triage) -> None:
    case = "A domestic worker is locked in by her employer and beaten."
    assert triage.assess(case).level == "urgent"
    assert triage.assess(case, persona="practitioner").level == "refer"
    assert triage.assess(case + " It is happening right now.", persona="practitioner").level == "urgent"


def test_a_cry_for_help_without_a_known_danger_still_reaches_a_person(triage: Triage) -> None:
    for text in ["please help me", "au secours !", "socorro", "ساعدوني", "বাঁচাও"]:
        assert triage.assess(text).level in {"refer", "urgent"}, text
    assert triage.assess("can you help me understand the visa rules?").level == "none"


def test_past_event_is_refer_not_urgent(triage: Triage) -> None:
    assert triage.assess("Five years ago I was locked in by my employer; can I still claim?").level == "refer"


def test_every_lexicon_loads_with_known_topics() -> None:
    from knowledge.hotlines import TOPICS
    from retrieval.safety.rules import lexicons

    loaded = lexicons()
    assert {lex.language for lex in loaded} >= {"en", "fr", "es", "pt", "ar", "tl", "id", "ne", "hi", "bn"}
    for lex in loaded:
        for sig in lex.signals:
            assert set(sig.topics) <= TOPICS, (lex.language, sig.id)


@pytest.mark.parametrize(
    "text",
    [
        "I read in the news that a boat capsized off Crete, so many people lost",
        "the news says workers were locked inside a factory in Malaysia, terrible",
        "vi en la tele que un barco se hundió cerca de Canarias, qué tristeza",
        "j'ai vu sur Facebook qu'un bateau a chaviré au large de la Libye",
        "kemarin baca di berita ada perahu tenggelam di Selat Malaka",
        "শুনলাম টিভিতে দেখাচ্ছে লিবিয়ার কাছে একটা নৌকা ডুবছে",
    ],
)
def test_relayed_news_about_others_is_not_urgent(triage: Triage, text: str) -> None:
    assert triage.assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I saw on the news that the boat is sinking, my brother is on it",
        "help, I read online they are coming, they locked us in the house",
        "j'ai vu aux infos qu'un bateau coule, mon frère est à bord",
        "saya lihat di berita kapal adik saya tenggelam",
        "سمعت بالأخبار إنو المركب اللي فيه أخوي عم يغرق",
    ],
)
def test_news_about_family_or_with_immediacy_stays_urgent(triage: Triage, text: str) -> None:
    assert triage.assess(text).level == "urgent"


@pytest.mark.parametrize(
    "text,level",
    [
        ("the heat at work is killing me lol", "none"),
        ("pinapatay na kami ng overtime dito hahaha", "none"),
        ("papatayin daw ako ng amo ko haha", "urgent"),  # a threat with nervous laughter is still a threat
        ("he's beating me haha", "urgent"),
    ],
)
def test_laughter_marks_hyperbole_but_not_threats(text: str, level: str) -> None:
    # the rule layer alone: the n-gram layer may still raise "overtime" to a labour-rights referral
    assert Triage(ngram=False).assess(text).level == level


@pytest.mark.parametrize(
    "text",
    [
        # hypothetical / general questions (no first person): a danger word is named, not lived
        "¿qué pasaría si una lancha con migrantes se hunde en aguas internacionales?",
        "o que acontece se um barco com migrantes está afundando em águas internacionais?",
        "que se passe-t-il si un bateau de migrants coule en mer?",
        "seandainya pekerja dikurung majikan di Johor, siapa yang bertanggung jawab?",
        "kalau ada TKI disekap agen di Batam, hukum negara mana yang dipakai?",
        "यदि कसैलाई मालिकले कोठामा थुनेको छ भने कस्तो सजाय हुन्छ?",
        "अगर किसी को जहाज़ पर बंद कर दिया जाए तो कौन सा देश जिम्मेदार है?",
        "যদি কাউকে মালিক ঘরে আটকে রেখেছে তাহলে কী শাস্তি হয়?",
        # a film, series or documentary seen
        "شفت مسلسل عن ناس محبوسين بالسفينه، هل هالشي بصير فعلا؟",
        "nonton film tentang ABK yang disekap di kapal, apa itu beneran terjadi?",
        "napanood ko sa isang pelikula na ikinulong ang mga OFW, totoo ba yun?",
    ],
)
def test_hypothetical_and_film_framing_is_not_urgent(text: str) -> None:
    result = Triage(ngram=False).assess(text)
    assert result.level == "none", result.reasons
    assert any(r.startswith("lex:") for r in result.reasons)  # a signal fired: the framing is what lowered it


@pytest.mark.parametrize(
    "text",
    [
        "seandainya kamu tahu, saya dikurung majikan sekarang, tolong",  # hypothetical word, a present emergency
        "شفت فيلم بس هلق في حدا عم يضربني بالبيت",  # a film mentioned, then violence now
        "if someone locks me in the room what can I do? my boss locked me in",
        "mi patrón dice que me va a matar jaja",  # a person's threat with nervous laughter
        "si no termino el trabajo mi patrón dice que me va a matar jaja",
        "il a dit qu'il va me tuer mdr",
    ],
)
def test_framing_words_do_not_hide_a_present_danger(text: str) -> None:
    assert Triage(ngram=False).assess(text).level == "urgent"


@pytest.mark.parametrize(
    "text,level",
    [
        ("el calor de la obra me va a matar jaja", "none"),  # a thing "will kill me" + laughter: hyperbole
        ("ce dossier de régularisation va me tuer mdr", "none"),
        ("এই গরম আমাকে মেরে ফেলবে হাহা", "none"),
        ("hace tres años me encerraron en una casa en Tapachula, ya salí y quiero denunciar", "refer"),
        ("dulu saya dikurung majikan di Johor, sekarang sudah pulang ke Lombok", "refer"),
    ],
)
def test_future_hyperbole_and_past_events(text: str, level: str) -> None:
    assert Triage(ngram=False).assess(text).level == level


@pytest.mark.parametrize(
    "text,level",
    [
        # the "now" of "he's home now and fine" is not an emergency's now: the past event stays a past event
        ("My uncle was held by kidnappers in Mexico back in 2019, he's home in Honduras now and fine", "refer"),
        ("mi papa estuvo secuestrado en 2019 pero lo soltaron y ahora vive tranquilo en houston", "refer"),
        ("mero mama lai 2 barsa agadi kafil le thuneko thiyo, ahile ghar farkisaknubhayo", "refer"),
        # ...while a "now" outside such a statement still keeps a danger urgent
        ("my brother was kidnapped in 2019, he got home, but now they took him again", "urgent"),
        ("en 2019 me secuestraron, ya estoy bien pero ahora me están golpeando otra vez", "urgent"),
    ],
)
def test_safe_now_does_not_count_as_immediacy(text: str, level: str) -> None:
    assert Triage(ngram=False).assess(text).level == level


@pytest.mark.parametrize(
    "text,level",
    [
        # a past marker, the danger told before a bare "now": it contrasts then and now, the past stays past
        ("two years ago smugglers held me in Libya and beat me, now I'm in Italy, can I report it", "refer"),
        ("el año pasado me secuestraron en Tamaulipas, ahora estoy en Houston y quiero denunciar", "refer"),
        ("ano passado fui sequestrado no México, agora tô em Boston e quero denunciar", "refer"),
        ("dulu tahun 2018 saya disekap agen di Batam, sekarang kerja di Surabaya, masih bisa lapor?", "refer"),
        ("৩ বছর আগে দালালরা আমারে লিবিয়ায় আটকায় রাখছিল, এখন ইতালিতে আছি, মামলা করতে চাই", "refer"),
        # ...but a danger told after the "now" is a danger now, whatever happened before it
        ("i came here 2 years ago, now my boss locks me in the room and beats me", "urgent"),
        ("llegué hace 2 años y ahora mi patrón me tiene encerrada y me pega", "urgent"),
        ("dulu tahun 2019 saya datang, sekarang majikan kunci saya di kamar dan pukul saya", "urgent"),
        ("last year I was beaten by my employer, now he is back and beating me again", "urgent"),
        ("dulu tahun 2020 saya disekap agen, sekarang mereka bawa saya lagi", "urgent"),  # "again": it recurs
        # and "right now" is never only a contrast
        ("two years ago they beat me, he is beating me right now", "urgent"),
    ],
)
def test_a_now_after_a_past_event_contrasts_then_and_now(text: str, level: str) -> None:
    result = Triage(ngram=False).assess(text)
    assert result.level == level, result.reasons
