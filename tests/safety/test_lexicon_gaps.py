"""Phrasings the fresh safety batches showed the lexicons missing, each kept once it was closed."""

from __future__ import annotations

import pytest

from retrieval.safety import Triage


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
    "text,level",
    [
        # Blood that will not stop: the negation belongs to "stop", not to the blood. Read as negated danger it
        # made the rules explain the message away, which also silenced the classifiers ("खून रुक नहीं रहा" got no
        # escalation).
        ("he hit me with a pipe and the blood wont stop", "urgent"),
        ("il m'a frappé, le sang s'arrête pas", "urgent"),
        ("la herida no para de sangrar", "urgent"),
        ("o sangue não para de sair do braço", "urgent"),
        ("الدم ما بيوقف من راسي", "urgent"),
        ("ang dugo ng kasama ko hindi tumitigil", "urgent"),
        ("kepala saya berdarah, darahnya tak berhenti", "urgent"),
        ("टाउकोबाट रगत रोकिँदैन", "urgent"),
        ("सिर से खून बंद नहीं हो रहा", "urgent"),
        ("sar se khoon ruk nahi raha", "urgent"),
        ("হাত কেটে গেছে, রক্ত বন্ধ হচ্ছে না", "urgent"),
        # A last-message goodbye: only the n-gram layer caught these (an Arabizi one at P 0.51, under the bar); a
        # quiet goodbye must not depend on a classifier's mood.
        ("this is my last message. tell my mother i tried", "urgent"),
        ("c'est mon dernier message, pardonnez-moi", "urgent"),
        ("este es mi ultimo mensaje", "urgent"),
        ("essa é minha última mensagem pra vocês", "urgent"),
        ("ito na ang huling mensahe ko sa inyo", "urgent"),
        ("ini pesan terakhirku", "urgent"),
        ("यह मेरा आखिरी मैसेज है", "urgent"),
        ("यो मेरो अन्तिम सन्देश हो", "urgent"),
        ("এইটাই আমার শেষ মেসেজ", "urgent"),
        ("هذه آخر رسالة مني، سامحوني", "urgent"),
        ("hayde akher resale mni", "urgent"),
        # ...and a last message about something else is no goodbye
        ("did you get my last message?", "none"),
        ("my last message didnt send", "none"),
        ("this is the last message about my visa, thanks", "none"),
        ("este es el ultimo mensaje sobre la visa", "none"),
        ("هذه آخر رسالة بخصوص الفيزا", "none"),
        # A bare cry for help reaches a person: the n-gram layer used to be what caught "help", "tolong", "madad",
        # and it no longer reads one or two words
        ("help", "refer"),
        ("Help me!!", "refer"),
        ("i need help", "refer"),
        ("ayuda", "refer"),
        ("ajuda", "refer"),
        ("aide-moi", "refer"),
        ("tulong", "refer"),
        ("tolong", "refer"),
        ("madad", "refer"),
        ("मदद", "refer"),
        ("সাহায্য", "refer"),
        ("مساعدة", "refer"),
        ("sa3edni", "refer"),
        # ...but help WITH something is a question
        ("help me understand the visa rules", "none"),
    ],
)
def test_the_rules_alone(text: str, level: str) -> None:
    assert Triage(ngram=False).assess(text).level == level, text


def test_withheld_wages_are_not_read_as_a_person_held() -> None:
    # "আটকায় রাখছে" is "is holding (him)"; after "বেতন" (wages) it is wages withheld: no confinement signal
    assert Triage(ngram=False).assess("আগে মালিক বেতন আটকায় রাখছিল, এখন সব দিয়া দিছে").level == "none"
    assert Triage(ngram=False).assess("দালাল আমার ভাইকে আটকায় রাখছে").level == "urgent"


@pytest.mark.parametrize(
    "text,level",
    [
        # post_freeze_22 (its tuning half): French "enfermer" (lock up) inside Spanish/Portuguese "nurse", "sick"
        ("soy enfermera en Lima, como revalido mi titulo?", "none"),
        ("sou enfermeira num hospital em Lisboa, como renovo o visto?", "none"),
        ("mon patron m'enferme dans la chambre la nuit", "urgent"),
        ("ils nous ont enfermés dans un camion", "urgent"),
        # a knife or blood in the kitchen, at the butcher's or in a blood test is everyday work...
        ("ada resep rendang gk? pisau di dapur tumpul semua", "none"),
        ("वीज़ा मेडिकल के लिए खून की जांच कहाँ होती है?", "none"),
        ("রক্তদান কর্মসূচিতে আজ রক্ত দিলাম", "none"),
        ("रक्तदान कार्यक्रममा रगत दिन जाँदैछु", "none"),
        # ...a knife held or blood that will not stop is not
        ("majikan pegang pisau tajam, saya takut", "urgent"),
        ("সে ছুরি নিয়া দাঁড়াইয়া আছে দরজায়", "urgent"),
        ("खून बहुत बह रहा है, रुक नहीं रहा", "urgent"),
        # a film or book ABOUT something is about others; a danger next to a film or a book is still a danger
        ("watching a korean drama where the guy gets kidnapped, so intense, cant sleep", "none"),
        ("I was watching a movie when my boss came in and locked me in the room", "urgent"),
        ("he beat me with the book", "urgent"),
        # "a few years ago" in Portuguese, "thn" (tahun, years) in Indonesian chat: past events, now over
        ("ha uns anos fui obrigada a me prostituir na Espanha, consegui sair, tenho direito a ajuda?", "refer"),
        ("3 thn lalu aku dijual calo ke Malaysia, skrg udh di kampung", "refer"),
        # Tagalog "won't let me out": the n-gram layer had caught it; with more everyday lines it no longer did
        ("kinuha ng amo ang passport ko at ayaw na akong palabasin ng bahay", "urgent"),
        ("3 buwan na akong di nakakalabas kahit sa gate", "urgent"),
        ("hindi ako nakakalabas ng bahay kasi umuulan", "none"),
    ],
)
def test_gaps_found_by_post_freeze_22(text: str, level: str) -> None:
    result = Triage(ngram=False).assess(text)
    assert result.level == level, result.reasons
