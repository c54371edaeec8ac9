"""Triage levels in every supported language, negation, hyperbole, framing, and the failure paths."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from retrieval.safety import Triage, detect_language
from retrieval.safety.classifier import Prediction
from retrieval.safety.triage import _Layer

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


@pytest.fixture(scope="module")
def triage() -> Triage:
    return Triage()  # rules and the n-gram layer: what a person gets when the embedding model is unavailable


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
    # near P 0.5 became urgent); this bound keeps that known gap from growing (retrieval/safety/README.md,
    # "Migrants' rights questions").
    for tag, bound in ((False, 0.05), (True, 0.12)):
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


class _AlwaysUrgent:
    """A classifier layer that calls everything urgent: isolates the rights-question cap from any model's mood."""

    def ensure_fitted(self) -> None:
        pass

    def predict(self, text: str) -> Prediction:
        return Prediction("urgent", 0.99, 0.0)


@pytest.fixture()
def alarmed() -> Triage:
    t = Triage(ngram=False)
    t._layers.append(_Layer("ngram", _AlwaysUrgent(), None))  # type: ignore[arg-type]
    return t


@pytest.mark.parametrize(
    "text",
    [
        "my son is 15 and crossed the border alone, will somebody be appointed to look after him?",
        "my brother drowned last year, is there any organisation that helps families bring the body home",
        "est-ce que j'ai le droit de faire venir mes enfants en France ?",
        "tengo derecho a un abogado si me niegan el asilo?",
        "boleh ke majikan simpan passport saya sampai habis kontrak?",
        "may karapatan ba akong umuwi kung hindi pa tapos ang kontrata?",
        "هل يحق لي ان اغير الكفيل؟",
        "क्या मुझे वकील का हक है?",
        "আমার কি অধিকার আছে দেশে ফিরে যাওয়ার?",
        # question forms the migrants' rights questions used and the patterns lacked
        "police put my son of 15 with adults like a criminal, isnt he still a child?",
        "a ship pulled us out of the water, where are they supposed to bring us?",
        "i clean and look after kids in a house, why am i not covered by the work laws?",
        "things are dangerous here but i dont want to be sent home, do i have any other options?",
        "the company left us there when the war started, dont employers have some duty to get us home?",
        "i got locked in a detention camp at the border, do any groups ask the government to let people out?",
    ],
)
def test_a_question_about_rights_caps_the_classifiers_at_refer(alarmed: Triage, text: str) -> None:
    result = alarmed.assess(text)
    assert result.level == "refer", result.reasons
    assert any(r.endswith(":rights_question") for r in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        # an immediacy marker lifts the cap
        "my son is 15 and alone at the border, will somebody be appointed to look after him? please help us now",
        # being "not allowed" is how confinement is said, not a question about the law
        "we are not allowed to leave the house, they took our phones",
        "a gente nao pode sair da casa, e proibido sair",
        "مش مسموح لنا نطلع من البيت",
    ],
)
def test_the_cap_does_not_reach_present_danger(alarmed: Triage, text: str) -> None:
    assert alarmed.assess(text).level == "urgent"


@pytest.mark.parametrize(
    "text", ["help", "Help me!!", "i need help", "ayuda", "ajuda", "aide-moi", "tulong", "tolong", "madad", "मदद",
             "সাহায্য", "مساعدة", "sa3edni"],
)
def test_a_bare_cry_for_help_reaches_a_person_by_the_rules_alone(text: str) -> None:
    """The n-gram layer used to be what caught "help", "tolong", "madad"; it no longer reads one or two words."""
    assert Triage(ngram=False).assess(text).level == "refer"


def test_a_request_for_help_with_something_is_not_a_cry_for_help() -> None:
    assert Triage(ngram=False).assess("help me understand the visa rules").level == "none"


@pytest.mark.parametrize("text", ["no", "não", "la", "नहीं", "nothing", "ok then", "warm-up"])
def test_a_reply_of_one_or_two_words_is_not_read_by_the_classifiers(alarmed: Triage, text: str) -> None:
    """The n-gram layer scored "no" urgent at 0.96: two words are too little for a classifier to read."""
    assert alarmed.assess(text).level == "none"


def test_short_cries_are_still_caught_by_the_rules_and_three_words_by_the_classifiers(alarmed: Triage) -> None:
    assert alarmed.assess("help").level == "refer"  # distress_call: a person and the hotlines
    assert alarmed.assess("sos").level in {"refer", "urgent"}
    assert alarmed.assess("নৌকায় পানি উঠতেছে").level == "urgent"  # three words: the layer may raise it
    assert Triage().assess("no").level == "none"  # the real n-gram layer, which scored it 0.96


def test_the_cap_never_lowers_what_the_rules_found() -> None:
    text = "the boat is sinking, water everywhere, is it legal that the coast guard does not come?"
    result = Triage(ngram=False).assess(text)
    assert result.level == "urgent" and not any(r.endswith(":rights_question") for r in result.reasons)


@pytest.mark.parametrize(
    "text,level",
    [
        # "parang" is "like" in Tagalog and a machete in Indonesian/Malay
        ("parang ang tagal ng remittance ngayong buwan, normal lang ba?", "none"),
        ("majikan bawa parang dan ancam saya", "urgent"),
        # a contract changed on arrival is a rights violation a person should look at
        ("when we landed they changed my contract, half the salary they promised", "refer"),
        ("pagdating ko dito pinalitan ang kontrata ko, mas mababa ang sahod", "refer"),
        ("sampai di sini kontrak saya diganti, gaji jadi setengah", "refer"),
        # a quiet wish not to live, romanised Hindi and Bengali
        ("ab mujhe jeene ka mann nahi hai", "urgent"),
        ("amar r banchte ichha kore na", "urgent"),
        # laughter marks "this will kill me" as hyperbole in romanised South Asian writing too
        ("ei exam amake mere felbe hahaha", "none"),
        # detention and removal said the way people say them
        ("my cousin has been held at the airport by immigration since monday", "refer"),
        ("got removal directions for next week, what can i do", "refer"),
        # post_freeze_14: a goodbye in the future tense; shocks as punishment; a past told with "now I'm safe"
        ("the rope is ready, no one will miss me", "urgent"),
        ("वो लोग काम न करने पर करंट लगाते हैं", "urgent"),
        ("hace dos años me vendieron en un bar, ya sali, necesito ayuda con mis papeles", "refer"),
        ("قبل سنتين حجزوني بليبيا، هلق انا بفرنسا وبدي محامي", "refer"),
        ("the recruiter kept my ARC so i cant change jobs", "refer"),
        ("majikan tak bayar gaji tiga bulan dah", "refer"),
        # post_freeze_15: texting abbreviations, dialect verbs, held in a van, past trafficking said plainly
        ("kmi dkunci d rmh, pntu dgembok dr luar, ga dksh mkn dr kmrn", "urgent"),
        ("sy kena tangkap dgn org x kenal, skrg dlm van", "urgent"),
        ("ماسكينا في بيت ومايخلوناش نطلعو", "urgent"),
        ("আমার ভাইকে ক্যাম্পে আটকায় রাখছে, টাকা না দিলে মাইরা ফেলবে", "urgent"),
        ("na-traffic ako sa Malaysia dati, nakauwi na ako, pwede pa ba magkaso", "refer"),
        ("social worker po ako, paano makilala ang biktima ng trafficking sa airport", "none"),
        ("je vais tuer mon frère mdr il a mangé mon dessert", "none"),
        ("kangen ibu rasanya mau mati, btw kirim uang paling murah lewat apa", "none"),
        # post_freeze_16: held on a boat, a guarded door, a hand in a machine, a hypothetical in Hindi
        ("we are not allowed off the ship for months and the captain says we are next", "urgent"),
        ("they make the girls see men every night and a guard watches the door", "urgent"),
        ("হাত মেশিনে ঢুকে গেছে, রক্ত থামতেছে না", "urgent"),
        ("अगर रेगिस्तान में कोई फँस जाए तो किस देश की जिम्मेदारी होती है?", "none"),
        ("tahun lepas aku lari dari sindiket scam, skrg dah balik kampung, boleh buat laporan?", "refer"),
        # post_freeze_17: cutting oneself in detention, a threat to burn, a roof that feels peaceful
        ("depuis hier je me coupe les bras au centre, ça saigne fort", "urgent"),
        ("le chef dit qu'il va me bruler avec l'huile si je réclame", "urgent"),
        ("রাতে ছাদে দাঁড়ায়ে আছি, নিচে তাকাইলে শান্তি লাগে", "urgent"),
        ("i'm a nurse at a shelter, what are the signs of heat stroke?", "none"),
        ("3 months na kaming di sinasahod sa site", "refer"),
        # post_freeze_18: an Arabizi goodbye, no shore leave, a bolt outside the door, a latch that is missing
        ("ana 3al kobry delwa2ty, 2olo l mama eni asfa", "urgent"),
        ("nobody on this boat can go ashore and the captain says next time it's him", "urgent"),
        ("कमरे के दरवाज़े पर बाहर से कुंडी लगाते हैं, खाना एक बार", "urgent"),
        ("मालिक का बेटा रात को कमरे में आने की कोशिश करता है, दरवाज़े पर कुंडी भी नहीं", "urgent"),
        ("si pido mi pago me reporta a la migra dice la jefa", "refer"),
        # post_freeze_20: pills collected, a goodbye asking forgiveness, a padlock outside, a compound nobody leaves
        ("bas ab aur nahi, neend ki goliyan ikatthi kar li hain", "urgent"),
        ("selamat tinggal ibu, maafkan adik ya", "urgent"),
        ("el patron nos encierra con candado en la bodega toda la noche", "urgent"),
        ("di na kami pinapalabas ng barracks, kinuha passport namin", "urgent"),
        ("rani m9foul f wa7d dar, makaykhlliwnich nkhrej", "urgent"),
        ("the agency put me on a farm instead of the hotel, this isnt what i signed for", "refer"),
        ("o patrão segura meu passaporte desde que cheguei", "refer"),
        ("4 months na hindi pa naipapadala ang sahod namin", "refer"),
        ("আশ্রয়ের আবেদন বাতিল হইছে, বলছে এক মাসের মধ্যে দেশ ছাড়তে হবে", "refer"),
        ("la dame de l'ambassade me saoule, me quiero morir jajaja", "none"),
        ("welfare officer po ako, paano malalaman kung biktima ng illegal recruitment", "none"),
    ],
)
def test_gaps_found_by_the_question_batch(triage: Triage, text: str, level: str) -> None:
    assert triage.assess(text).level == level, triage.assess(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "he hit me with a pipe and the blood wont stop",
        "il m'a frappé, le sang s'arrête pas",
        "la herida no para de sangrar",
        "o sangue não para de sair do braço",
        "الدم ما بيوقف من راسي",
        "ang dugo ng kasama ko hindi tumitigil",
        "kepala saya berdarah, darahnya tak berhenti",
        "टाउकोबाट रगत रोकिँदैन",
        "सिर से खून बंद नहीं हो रहा",
        "sar se khoon ruk nahi raha",
        "হাত কেটে গেছে, রক্ত বন্ধ হচ্ছে না",
    ],
)
def test_blood_that_will_not_stop_is_urgent_in_every_language(text: str) -> None:
    """The negation belongs to "stop", not to the blood: read as negated danger, it used to make the rules
    explain the message away, which also silenced the classifiers ("खून रुक नहीं रहा" got no escalation)."""
    assert Triage(ngram=False).assess(text).level == "urgent", text


@pytest.mark.parametrize(
    "text",
    [
        "this is my last message. tell my mother i tried",
        "c'est mon dernier message, pardonnez-moi",
        "este es mi ultimo mensaje",
        "essa é minha última mensagem pra vocês",
        "ito na ang huling mensahe ko sa inyo",
        "ini pesan terakhirku",
        "यह मेरा आखिरी मैसेज है",
        "यो मेरो अन्तिम सन्देश हो",
        "এইটাই আমার শেষ মেসেজ",
        "هذه آخر رسالة مني، سامحوني",
        "hayde akher resale mni",
    ],
)
def test_a_last_message_goodbye_is_urgent_by_the_rules(text: str) -> None:
    """Only the n-gram layer caught these (one Arabizi goodbye at P 0.51, under the bar); a quiet goodbye must not
    depend on a classifier's mood."""
    assert Triage(ngram=False).assess(text).level == "urgent", text


@pytest.mark.parametrize(
    "text",
    ["did you get my last message?", "my last message didnt send", "this is the last message about my visa, thanks",
     "este es el ultimo mensaje sobre la visa", "هذه آخر رسالة بخصوص الفيزا"],
)
def test_a_last_message_about_something_else_is_not_a_goodbye(text: str) -> None:
    assert Triage(ngram=False).assess(text).level == "none", text


def test_withheld_wages_are_not_read_as_a_person_held() -> None:
    # "আটকায় রাখছে" is "is holding (him)"; after "বেতন" (wages) it is wages withheld: no confinement signal
    assert Triage(ngram=False).assess("আগে মালিক বেতন আটকায় রাখছিল, এখন সব দিয়া দিছে").level == "none"
    assert Triage(ngram=False).assess("দালাল আমার ভাইকে আটকায় রাখছে").level == "urgent"
