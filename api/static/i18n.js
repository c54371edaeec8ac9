// Interface strings, languages and countries for the chat page. Plain data, no build step.
// The API answers in every language below; the page's own labels exist in en, fr, es, pt and ar and
// fall back to English elsewhere (a wrong label in a crisis tool is worse than an English one).
"use strict";

window.PassageI18n = (() => {
  // Each language named in itself, so a person can find theirs without reading English.
  const LANGUAGES = [
    ["en", "English"], ["fr", "Français"], ["es", "Español"], ["pt", "Português"], ["ar", "العربية"],
    ["tl", "Tagalog"], ["id", "Bahasa Indonesia"], ["ne", "नेपाली"], ["hi", "हिन्दी"], ["bn", "বাংলা"],
  ];
  const RTL = new Set(["ar"]);

  // ISO 3166-1 alpha-2 codes: countries of origin, transit and destination common in the corpus's regions.
  // English names are the fallback when the browser cannot name a region in the chosen language.
  const COUNTRIES = {
    AE: "United Arab Emirates", AF: "Afghanistan", AU: "Australia", BD: "Bangladesh", BH: "Bahrain",
    BR: "Brazil", CA: "Canada", CN: "China", CO: "Colombia", DE: "Germany", DZ: "Algeria", EG: "Egypt",
    ER: "Eritrea", ES: "Spain", ET: "Ethiopia", FR: "France", GB: "United Kingdom", GR: "Greece",
    GT: "Guatemala", HK: "Hong Kong", HN: "Honduras", ID: "Indonesia", IN: "India", IT: "Italy",
    JO: "Jordan", JP: "Japan", KE: "Kenya", KH: "Cambodia", KR: "South Korea", KW: "Kuwait", LB: "Lebanon",
    LK: "Sri Lanka", LY: "Libya", MA: "Morocco", ML: "Mali", MM: "Myanmar", MT: "Malta", MX: "Mexico",
    MY: "Malaysia", NE: "Niger", NG: "Nigeria", NP: "Nepal", OM: "Oman", PH: "Philippines", PK: "Pakistan",
    PT: "Portugal", QA: "Qatar", SA: "Saudi Arabia", SD: "Sudan", SG: "Singapore", SN: "Senegal",
    SO: "Somalia", SY: "Syria", TH: "Thailand", TN: "Tunisia", TR: "Türkiye", UG: "Uganda",
    US: "United States", VE: "Venezuela", VN: "Viet Nam", ZA: "South Africa",
  };

  const en = {
    quickExit: "Quick exit",
    quickExitHint: "Or press Escape twice. Clears this page.",
    talkToPerson: "Talk to a person",
    hotlinesTitle: "People you can contact",
    loadingHotlines: "Loading contacts…",
    noHotlines: "We have no contacts for this choice yet. If you are in danger, call your local emergency number.",
    errHotlines: "We could not load the contacts. If you are in danger, call your local emergency number.",
    settings: "Settings",
    roleLegend: "Who are you?",
    roleMigrant: "I need help",
    rolePractitioner: "I work with migrants",
    language: "Language",
    country: "Country",
    countryNone: "Choose a country",
    conversation: "Conversation",
    intro: "Ask a question about the rights and protection of migrants. Answers come from published " +
      "documents, with sources you can open. If you are in danger, use “Talk to a person”.",
    yourMessage: "Your message",
    placeholder: "Type your question",
    send: "Send",
    you: "You",
    assistant: "Passage",
    thinking: "Looking for an answer…",
    sources: "Sources",
    sourceN: "Source {n}",
    documentLabel: "Document",
    locationLabel: "Location",
    frameworks: "Frameworks that may apply",
    why: "Why",
    keyProvisions: "Key provisions",
    getHelpNow: "Get help now",
    alsoContact: "You can also contact",
    emergency: "Emergency number",
    call: "Call",
    sms: "SMS",
    whatsapp: "WhatsApp",
    website: "Website",
    hours: "Hours",
    errNetwork: "We cannot reach Passage right now. Please check your connection and try again in a moment. " +
      "If you are in danger, call your local emergency number.",
    errInput: "We could not use that message. Please change it and try again.",
    errUnavailable: "Passage cannot search its documents right now. Please try again later. " +
      "You can contact these people now:",
    errOther: "Something went wrong on our side. Please try again in a moment. " +
      "If you are in danger, call your local emergency number.",
    emptyQuestion: "Please type a question first.",
  };

  const fr = {
    quickExit: "Sortie rapide",
    quickExitHint: "Ou appuyez deux fois sur Échap. Efface cette page.",
    talkToPerson: "Parler à une personne",
    hotlinesTitle: "Personnes à contacter",
    loadingHotlines: "Chargement des contacts…",
    noHotlines: "Nous n’avons pas encore de contact pour ce choix. En cas de danger, appelez le numéro d’urgence local.",
    errHotlines: "Impossible de charger les contacts. En cas de danger, appelez le numéro d’urgence local.",
    settings: "Réglages",
    roleLegend: "Qui êtes-vous ?",
    roleMigrant: "J’ai besoin d’aide",
    rolePractitioner: "Je travaille avec des migrants",
    language: "Langue",
    country: "Pays",
    countryNone: "Choisissez un pays",
    conversation: "Conversation",
    intro: "Posez une question sur les droits et la protection des migrants. Les réponses viennent de " +
      "documents publiés, avec des sources que vous pouvez ouvrir. En cas de danger, utilisez « Parler à une personne ».",
    yourMessage: "Votre message",
    placeholder: "Écrivez votre question",
    send: "Envoyer",
    you: "Vous",
    thinking: "Recherche d’une réponse…",
    sources: "Sources",
    sourceN: "Source {n}",
    documentLabel: "Document",
    locationLabel: "Emplacement",
    frameworks: "Cadres qui peuvent s’appliquer",
    why: "Pourquoi",
    keyProvisions: "Dispositions clés",
    getHelpNow: "Obtenir de l’aide maintenant",
    alsoContact: "Vous pouvez aussi contacter",
    emergency: "Numéro d’urgence",
    call: "Appeler",
    website: "Site web",
    hours: "Horaires",
    errNetwork: "Impossible de joindre Passage pour le moment. Vérifiez votre connexion et réessayez dans un instant. " +
      "En cas de danger, appelez le numéro d’urgence local.",
    errInput: "Nous n’avons pas pu utiliser ce message. Modifiez-le et réessayez.",
    errUnavailable: "Passage ne peut pas consulter ses documents pour le moment. Réessayez plus tard. " +
      "Vous pouvez contacter ces personnes dès maintenant :",
    errOther: "Un problème est survenu de notre côté. Réessayez dans un instant. " +
      "En cas de danger, appelez le numéro d’urgence local.",
    emptyQuestion: "Écrivez d’abord une question.",
  };

  const es = {
    quickExit: "Salida rápida",
    quickExitHint: "O pulse Escape dos veces. Borra esta página.",
    talkToPerson: "Hablar con una persona",
    hotlinesTitle: "Personas a las que puede contactar",
    loadingHotlines: "Cargando contactos…",
    noHotlines: "Aún no tenemos contactos para esta opción. Si está en peligro, llame al número de emergencias local.",
    errHotlines: "No pudimos cargar los contactos. Si está en peligro, llame al número de emergencias local.",
    settings: "Ajustes",
    roleLegend: "¿Quién es usted?",
    roleMigrant: "Necesito ayuda",
    rolePractitioner: "Trabajo con personas migrantes",
    language: "Idioma",
    country: "País",
    countryNone: "Elija un país",
    conversation: "Conversación",
    intro: "Haga una pregunta sobre los derechos y la protección de las personas migrantes. Las respuestas " +
      "vienen de documentos publicados, con fuentes que puede abrir. Si está en peligro, use «Hablar con una persona».",
    yourMessage: "Su mensaje",
    placeholder: "Escriba su pregunta",
    send: "Enviar",
    you: "Usted",
    thinking: "Buscando una respuesta…",
    sources: "Fuentes",
    sourceN: "Fuente {n}",
    documentLabel: "Documento",
    locationLabel: "Ubicación",
    frameworks: "Marcos que pueden aplicarse",
    why: "Por qué",
    keyProvisions: "Disposiciones clave",
    getHelpNow: "Pida ayuda ahora",
    alsoContact: "También puede contactar a",
    emergency: "Número de emergencias",
    call: "Llamar",
    website: "Sitio web",
    hours: "Horario",
    errNetwork: "No podemos conectar con Passage ahora. Revise su conexión e inténtelo de nuevo en un momento. " +
      "Si está en peligro, llame al número de emergencias local.",
    errInput: "No pudimos usar ese mensaje. Cámbielo e inténtelo de nuevo.",
    errUnavailable: "Passage no puede consultar sus documentos ahora. Inténtelo más tarde. " +
      "Puede contactar ahora a estas personas:",
    errOther: "Algo salió mal de nuestro lado. Inténtelo de nuevo en un momento. " +
      "Si está en peligro, llame al número de emergencias local.",
    emptyQuestion: "Escriba primero una pregunta.",
  };

  const pt = {
    quickExit: "Saída rápida",
    quickExitHint: "Ou prima Escape duas vezes. Apaga esta página.",
    talkToPerson: "Falar com uma pessoa",
    hotlinesTitle: "Pessoas que pode contactar",
    loadingHotlines: "A carregar contactos…",
    noHotlines: "Ainda não temos contactos para esta escolha. Se estiver em perigo, ligue para o número de emergência local.",
    errHotlines: "Não foi possível carregar os contactos. Se estiver em perigo, ligue para o número de emergência local.",
    settings: "Definições",
    roleLegend: "Quem é você?",
    roleMigrant: "Preciso de ajuda",
    rolePractitioner: "Trabalho com pessoas migrantes",
    language: "Idioma",
    country: "País",
    countryNone: "Escolha um país",
    conversation: "Conversa",
    intro: "Faça uma pergunta sobre os direitos e a proteção das pessoas migrantes. As respostas vêm de " +
      "documentos publicados, com fontes que pode abrir. Se estiver em perigo, use «Falar com uma pessoa».",
    yourMessage: "A sua mensagem",
    placeholder: "Escreva a sua pergunta",
    send: "Enviar",
    you: "Você",
    thinking: "A procurar uma resposta…",
    sources: "Fontes",
    sourceN: "Fonte {n}",
    documentLabel: "Documento",
    locationLabel: "Localização",
    frameworks: "Quadros que podem aplicar-se",
    why: "Porquê",
    keyProvisions: "Disposições principais",
    getHelpNow: "Peça ajuda agora",
    alsoContact: "Também pode contactar",
    emergency: "Número de emergência",
    call: "Ligar",
    website: "Site",
    hours: "Horário",
    errNetwork: "Não conseguimos contactar o Passage agora. Verifique a ligação e tente de novo dentro de momentos. " +
      "Se estiver em perigo, ligue para o número de emergência local.",
    errInput: "Não foi possível usar essa mensagem. Altere-a e tente de novo.",
    errUnavailable: "O Passage não consegue consultar os seus documentos agora. Tente mais tarde. " +
      "Pode contactar já estas pessoas:",
    errOther: "Algo correu mal do nosso lado. Tente de novo dentro de momentos. " +
      "Se estiver em perigo, ligue para o número de emergência local.",
    emptyQuestion: "Escreva primeiro uma pergunta.",
  };

  const ar = {
    quickExit: "خروج سريع",
    quickExitHint: "أو اضغط مفتاح Escape مرتين. يمسح هذه الصفحة.",
    talkToPerson: "تحدّث مع شخص",
    hotlinesTitle: "جهات يمكنك التواصل معها",
    loadingHotlines: "جارٍ تحميل جهات الاتصال…",
    noHotlines: "لا توجد لدينا جهات اتصال لهذا الاختيار بعد. إذا كنت في خطر، اتصل برقم الطوارئ المحلي.",
    errHotlines: "تعذّر تحميل جهات الاتصال. إذا كنت في خطر، اتصل برقم الطوارئ المحلي.",
    settings: "الإعدادات",
    roleLegend: "من أنت؟",
    roleMigrant: "أحتاج إلى مساعدة",
    rolePractitioner: "أعمل مع المهاجرين",
    language: "اللغة",
    country: "البلد",
    countryNone: "اختر بلدًا",
    conversation: "المحادثة",
    intro: "اطرح سؤالًا عن حقوق المهاجرين وحمايتهم. تأتي الإجابات من وثائق منشورة، مع مصادر يمكنك فتحها. " +
      "إذا كنت في خطر، استخدم «تحدّث مع شخص».",
    yourMessage: "رسالتك",
    placeholder: "اكتب سؤالك",
    send: "إرسال",
    you: "أنت",
    assistant: "Passage",
    thinking: "جارٍ البحث عن إجابة…",
    sources: "المصادر",
    sourceN: "المصدر {n}",
    documentLabel: "الوثيقة",
    locationLabel: "الموضع",
    frameworks: "أطر قد تنطبق",
    why: "السبب",
    keyProvisions: "أحكام رئيسية",
    getHelpNow: "اطلب المساعدة الآن",
    alsoContact: "يمكنك أيضًا التواصل مع",
    emergency: "رقم الطوارئ",
    call: "اتصال",
    sms: "رسالة نصية",
    whatsapp: "واتساب",
    website: "الموقع",
    hours: "ساعات العمل",
    errNetwork: "لا يمكننا الوصول إلى Passage الآن. تحقّق من اتصالك وحاول مرة أخرى بعد قليل. " +
      "إذا كنت في خطر، اتصل برقم الطوارئ المحلي.",
    errInput: "لم نتمكن من استخدام هذه الرسالة. يُرجى تعديلها والمحاولة مرة أخرى.",
    errUnavailable: "لا يستطيع Passage البحث في وثائقه الآن. حاول لاحقًا. يمكنك التواصل مع هذه الجهات الآن:",
    errOther: "حدث خطأ من جهتنا. حاول مرة أخرى بعد قليل. إذا كنت في خطر، اتصل برقم الطوارئ المحلي.",
    emptyQuestion: "يُرجى كتابة سؤال أولًا.",
  };

  const STRINGS = { en, fr, es, pt, ar };

  function t(language, key, vars) {
    const table = STRINGS[language] || en;
    let text = table[key] ?? en[key] ?? key;
    for (const [name, value] of Object.entries(vars || {})) text = text.replace(`{${name}}`, String(value));
    return text;
  }

  return { LANGUAGES, COUNTRIES, RTL, t };
})();
