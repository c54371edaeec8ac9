"""Who is asking: a migrant about their own situation, or a practitioner about someone else's.

Inferred only when the caller did not say; the default is "migrant" because a person in need must never get a
colder answer because of a wrong guess.
"""
from __future__ import annotations

import re

from retrieval.types import Persona

_PRACTITIONER = re.compile(
    r"\b(my|our|a|the) (client|clients|beneficiar(y|ies)|caseload|case ?worker|caseworkers|case)\b"
    r"|\b(case ?worker|social worker|lawyer|attorney|paralegal|ngo|practitioner|official|officer|inspector"
    r"|prosecutor|counsel+or|shelter staff|our organi[sz]ation|our team|we (are )?(assist|support|represent))"
    r"|\b(which|what) (international )?(framework|instrument|convention|treaty|standard|guideline|tool|protocol"
    r"|legal basis|law)s?\b"
    r"|\b(framework|instrument|guideline|standards?)s? (appl(y|ies)|are relevant|should (i|we) use)\b"
    r"|\b(state|states|government|governments)'? (obligations?|duties|responsibilit)",
    re.IGNORECASE,
)
_FIRST_PERSON_TROUBLE = re.compile(
    r"\b(i|i'm|im|me|my)\b.*\b(employer|boss|passport|salary|wages?|visa|agency|agent|deport|detain|help)",
    re.IGNORECASE,
)


def infer_persona(question: str) -> Persona:
    if _PRACTITIONER.search(question) and not _FIRST_PERSON_TROUBLE.search(question):
        return "practitioner"
    if _PRACTITIONER.search(question) and re.search(r"\b(client|framework|instrument|convention)", question, re.I):
        return "practitioner"
    return "migrant"
