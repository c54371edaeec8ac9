"""What the bot says in its own voice (English for now; hotline replies come in the person's language from
the Assistant). HTML-ready: no outside text is interpolated here without html.escape by the caller."""
from __future__ import annotations

LANGUAGES: dict[str, str] = {
    "en": "English", "fr": "Français", "es": "Español", "pt": "Português", "ar": "العربية", "tl": "Tagalog",
    "id": "Bahasa Indonesia", "ms": "Bahasa Melayu", "ne": "नेपाली", "hi": "हिन्दी", "bn": "বাংলা",
}
COUNTRIES: dict[str, str] = {
    "PH": "Philippines", "ID": "Indonesia", "MY": "Malaysia", "NP": "Nepal", "IN": "India", "BD": "Bangladesh",
    "SA": "Saudi Arabia", "AE": "UAE", "QA": "Qatar", "LB": "Lebanon", "IT": "Italy", "ES": "Spain",
    "GR": "Greece", "MX": "Mexico", "US": "United States",
}
ROLES = {"migrant": "I need help for myself", "practitioner": "I work with migrants"}

START = (
    "👋 <b>Passage</b> answers questions about migrants' rights and protection, with the sources it used, "
    "and points to people who can help.\n\n"
    "⚠️ <b>Not an emergency service.</b> If you are in danger, call your local emergency number or use "
    "/hotline.\n\n"
    "🔒 Chats with Telegram bots are <b>not end-to-end encrypted</b>. Avoid sending names, addresses, "
    "passport or phone numbers.\n\n"
    "🗂 We store: your choices (role, language, country), a pseudonym instead of your Telegram id, ids (not "
    "text) of messages in this chat, and anonymous 👍/👎 feedback. Your messages are not stored, except "
    "while a person is helping you, and are erased when that conversation ends. Everything else is erased "
    "after {days} days without use, or now with /delete. /exit removes this chat's messages quickly.\n\n"
    "Just type your question, in any language. Optional: tell me who you are."
)
HELP = (
    "<b>What I can do</b>\nType a question in any language; I answer from documents on migrant protection "
    "and show my sources.\n\n"
    "/hotline — help lines for your country (/hotline trafficking for a topic)\n"
    "/human — ask for a person\n/cancel — stop waiting for / talking to a person\n"
    "/country — set your country (e.g. /country PH)\n/language — choose a language\n"
    "/role — for yourself, or working with migrants\n"
    "/delete — erase everything stored about you\n/exit — quickly delete this chat's messages\n\n"
    "⚠️ Not an emergency service. 🔒 Bot chats are not end-to-end encrypted."
)
NON_TEXT = (
    "I can only read <b>text messages</b> — please type your question in words, in any language. I can't "
    "listen to voice messages or open photos, videos, stickers, files, locations or contacts (and I did not "
    "keep what you sent). If you are in danger, use /hotline."
)
THINKING_FAILED = (
    "I can't search the documents right now. If you need help now, these lines can help:"
)
SORRY = "Sorry — something went wrong on my side. Please try again. If you are in danger, use /hotline."
NO_HOTLINES = "I have no help line on record for that. In danger, call your local emergency number."
HOTLINE_INTRO = "People who can help:"
REFER = "This may need a person. Would you like to talk to someone?"
CASE_OPENED = (
    "I have asked a person from our team to join this chat. Please wait here; your request number is "
    "<b>{number}</b>. You can cancel with /cancel."
)
CASE_EXISTS = "You already asked for a person (request <b>{number}</b>). Please wait, or /cancel."
NO_OPERATORS = "No one from our team is available in this chat. These lines can help:"
CASE_CLAIMED = (
    "A person from our team has joined. Your messages now go to them (they see your messages, not your "
    "Telegram name). Send /cancel to end the conversation."
)
CASE_CLOSED = "The conversation with our team has ended. You are back with the assistant."
CASE_CANCELLED = "Your request for a person is cancelled. You are back with the assistant."
CASE_EXPIRED = "I'm sorry — no one from our team could join in time. Please contact one of these lines:"
NOTHING_TO_CANCEL = "You are not waiting for, or talking to, a person."
DELETED = (
    "✅ Everything stored about you has been erased: your choices, your pseudonym, feedback, requests for a "
    "person and message ids. (Messages still visible in this chat are on your phone; /exit removes them.)"
)
ROLE_SET = "Thanks. I will answer {role}."
ROLE_WORDS = {"migrant": "for you", "practitioner": "for someone who works with migrants"}
LANGUAGE_SET = "Language: {name}."
COUNTRY_SET = "Country: {code}."
COUNTRY_ASK = "Choose your country, or send /country followed by its two-letter code (e.g. /country PH)."
COUNTRY_BAD = "Please send a two-letter country code, e.g. /country PH."
LANGUAGE_ASK = "Choose a language (or just write in yours; I'll notice):"
ROLE_ASK = "Who is asking?"
FEEDBACK_THANKS = "Thank you for the feedback."
OPERATOR_ONLY = "Only members of the operators' group can do that."

# operators' group
CARD = (
    "🆘 <b>Case {number}</b> — {level}\nReason: {reasons}\nLanguage: {language} · Country: {country}\n"
    "Opened: {opened} UTC\n\n<b>Message:</b>\n{text}"
)
CARD_CLAIMED = "\n\n✅ Claimed. Reply to the person's messages (or to this card) to answer; /close to end."
CARD_CLOSED = "\n\n⏹ Closed ({by})."
CARD_EXPIRED = "\n\n⌛ Expired: no one claimed it in time; the person was given the hotlines."
CARD_ERASED = "🆘 <b>Case {number}</b> — erased at the person's request."
CLAIM_TAKEN = "Another operator already has this case."
CLAIM_OK = "You have the case."
NOT_CLAIMER = "Only the operator who claimed this case can answer or close it."
CASE_NOT_LIVE = "That case is no longer open."
CLOSE_HOW = "Reply /close to a message of the case, or send /close P-XXXXXX."
OPERATOR_ALERT = "⚠️ Bot error: {kind} (update {update_id}). Details are in the bot's log."
PERSON_LEFT = "The person ended the conversation (case {number})."
PERSON_BLOCKED = "The person blocked the bot; case {number} is closed."

# The handoff messages matter most to someone in trouble, so they also exist in some of the person's
# languages (others fall back to English). Same placeholders as the English originals.
TRANSLATIONS: dict[str, dict[str, str]] = {
    "ar": {
        "CASE_OPENED": "طلبتُ من شخص من فريقنا الانضمام إلى هذه المحادثة. يُرجى الانتظار هنا؛ رقم طلبك هو "
                       "<b>{number}</b>. يمكنك الإلغاء بإرسال /cancel.",
        "CASE_CLAIMED": "انضمّ إليك شخص من فريقنا. رسائلك تصل إليه الآن (يرى رسائلك، لا اسمك على تيليغرام). "
                        "أرسل /cancel لإنهاء المحادثة.",
        "CASE_CLOSED": "انتهت المحادثة مع فريقنا. عدتَ إلى المساعد الآلي.",
        "CASE_CANCELLED": "أُلغي طلبك للتحدث مع شخص. عدتَ إلى المساعد الآلي.",
        "CASE_EXPIRED": "نأسف، لم يتمكن أحد من فريقنا من الانضمام في الوقت المناسب. يُرجى الاتصال بأحد هذه الأرقام:",
    },
    "fr": {
        "CASE_OPENED": "J'ai demandé à une personne de notre équipe de rejoindre cette conversation. Merci de "
                       "patienter ici ; votre numéro de demande est <b>{number}</b>. Vous pouvez annuler avec "
                       "/cancel.",
        "CASE_CLAIMED": "Une personne de notre équipe vous a rejoint. Vos messages lui sont maintenant transmis "
                        "(elle voit vos messages, pas votre nom Telegram). Envoyez /cancel pour terminer.",
        "CASE_CLOSED": "La conversation avec notre équipe est terminée. Vous êtes de retour avec l'assistant.",
        "CASE_CANCELLED": "Votre demande est annulée. Vous êtes de retour avec l'assistant.",
        "CASE_EXPIRED": "Désolé — personne de notre équipe n'a pu vous rejoindre à temps. Contactez l'une de "
                        "ces lignes :",
    },
    "es": {
        "CASE_OPENED": "He pedido a una persona de nuestro equipo que se una a este chat. Por favor, espera "
                       "aquí; tu número de solicitud es <b>{number}</b>. Puedes cancelar con /cancel.",
        "CASE_CLAIMED": "Una persona de nuestro equipo se ha unido. Tus mensajes ahora le llegan (ve tus "
                        "mensajes, no tu nombre de Telegram). Envía /cancel para terminar.",
        "CASE_CLOSED": "La conversación con nuestro equipo ha terminado. Vuelves a hablar con el asistente.",
        "CASE_CANCELLED": "Tu solicitud ha sido cancelada. Vuelves a hablar con el asistente.",
        "CASE_EXPIRED": "Lo siento: nadie de nuestro equipo pudo unirse a tiempo. Por favor, contacta con una "
                        "de estas líneas:",
    },
}


def t(name: str, language: str | None) -> str:
    """The message `name` in `language` when we have it, in English otherwise."""
    return TRANSLATIONS.get(language or "", {}).get(name) or globals()[name]
