"""Optional LLM-judged metrics (LangChain `init_chat_model`), only when LLM_MODEL is configured and `--judge`
is asked for. Reported separately from the deterministic metrics and never gated: a judge is another model's
opinion, useful for spotting trends, not a measurement to fail a build on.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from evals.runner import CaseRecord

log = logging.getLogger(__name__)

_SYSTEM = (
    "You grade answers of a migrant-protection assistant. You are given a question, the assistant's answer and "
    "the passages it cited. Reply with JSON only, no prose: "
    '{"grounded": "yes" or "no", "answers_question": "yes" or "no"}. '
    '"grounded" is yes only if every claim in the answer is stated in the cited passages. '
    '"answers_question" is yes only if the answer addresses what was asked.'
)
_JSON = re.compile(r"\{.*\}", re.DOTALL)


def parse_verdict(reply: str) -> dict[str, bool] | None:
    """{"grounded": bool, "answers_question": bool} from the judge's reply, or None if it is not usable."""
    found = _JSON.search(reply or "")
    if not found:
        return None
    try:
        data = json.loads(found.group(0))
    except json.JSONDecodeError:
        return None
    out = {}
    for key in ("grounded", "answers_question"):
        value = str(data.get(key, "")).strip().lower()
        if value not in ("yes", "no", "true", "false"):
            return None
        out[key] = value in ("yes", "true")
    return out


class Judge:
    def __init__(self, model: Any) -> None:
        self.model = model

    @classmethod
    def from_settings(cls, settings: Any) -> Judge | None:
        """The same chat model the Assistant would use for generation; None when LLM_MODEL is unset."""
        if not getattr(settings, "llm_model", None):
            return None
        from retrieval.llm import chat_model

        return cls(chat_model(settings))

    def grade(self, question: str, answer: str, passages: Sequence[str]) -> dict[str, bool] | None:
        cited = "\n\n".join(f"[{i}] {p}" for i, p in enumerate(passages, 1)) or "(none)"
        messages = [("system", _SYSTEM),
                    ("human", f"Question: {question}\n\nAnswer: {answer}\n\nCited passages:\n{cited}")]
        try:
            reply = self.model.invoke(messages)
        except Exception as exc:  # noqa: BLE001 - a judge failure is counted, never fatal
            log.warning("judge call failed: %s", type(exc).__name__)
            return None
        return parse_verdict(getattr(reply, "content", "") if not isinstance(reply, str) else reply)


def judge_records(records: Sequence[CaseRecord], judge: Judge, limit: int | None = None) -> dict[str, Any]:
    """Judge the answered cases of the answerable sets; shares over the cases the judge could grade."""
    todo = [r for r in records if r.dataset in ("factual", "migrant") and r.answer and not r.answer.abstained
            and r.answer.level != "urgent"][:limit]
    verdicts = {}
    for r in todo:
        assert r.answer is not None
        verdicts[r.id] = judge.grade(r.input, r.answer.text, [c.text or c.quote for c in r.answer.citations])
    graded = [v for v in verdicts.values() if v is not None]
    share = (lambda key: sum(v[key] for v in graded) / len(graded) if graded else None)
    return {
        "judge.grounded": share("grounded"),
        "judge.answers_question": share("answers_question"),
        "judge.graded": float(len(graded)),
        "judge.failures": float(len(verdicts) - len(graded)),
        "verdicts": verdicts,
    }
