"""`python -m retrieval.ask "question"`: one answer with its sources, in the terminal."""
from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

os.environ.setdefault("HF_HUB_OFFLINE", "1")

app = typer.Typer(add_completion=False)


@app.command()
def main(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    persona: Annotated[Optional[str], typer.Option(help="migrant or practitioner")] = None,
    language: Annotated[Optional[str], typer.Option(help="ISO 639-1 code")] = None,
    country: Annotated[Optional[str], typer.Option(help="ISO 3166-1 alpha-2 code")] = None,
) -> None:
    from rich.console import Console

    from retrieval.assistant import Assistant, RetrievalDown
    from retrieval.settings import get_settings

    console = Console()
    if persona not in (None, "migrant", "practitioner"):
        raise typer.BadParameter("persona must be 'migrant' or 'practitioner'")
    if not question.strip():
        raise typer.BadParameter("the question is empty")
    assistant = Assistant.from_settings(get_settings())
    try:
        answer = assistant.ask(question, persona=persona, language=language, country=country)  # type: ignore[arg-type]
    except RetrievalDown as exc:
        console.print(f"[red]Search is unavailable ({exc}).[/red]")
        for h in exc.escalation.hotlines:
            console.print(f"  {h.name}: {h.phone or h.web}")
        raise typer.Exit(3) from exc
    esc = answer.escalation
    if esc.level != "none":
        console.print(f"[bold red]Escalation: {esc.level}[/bold red] ({', '.join(esc.reasons)})")
    console.print(answer.text, markup=False, highlight=False)
    for c in answer.citations:
        console.print(f"\n[bold][{c.n}][/bold] {c.chunk.title} — {c.chunk.location}", highlight=False)
        console.print(f"    “{c.quote}”", markup=False, highlight=False)
    for f in answer.frameworks:
        console.print(f"\n[bold]{f.name}[/bold] ({f.kind}): {'; '.join(f.why)}", highlight=False)
    console.print(f"\n[dim]{answer.timings_ms}[/dim]")
    assistant.close()


if __name__ == "__main__":
    app()
