"""One `Settings` per process, from the environment and `.env` (pydantic-settings).

Every environment variable Passage reads is a field here; the README's configuration table mirrors this class.
The bot extends it (`bot.settings.BotSettings`) with Telegram fields, so a bot process still has one Settings.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # where things live
    data_dir: Path = Field(Path("data"), description="Index, lexical index and SQLite files.")
    documents_dir: Path = Field(KNOWLEDGE_DIR / "documents", description="Documents and their manifest.yaml.")
    guides_dir: Path = Field(KNOWLEDGE_DIR / "guides", description="Tool guides, one YAML file each.")
    questions_dir: Path = Field(
        KNOWLEDGE_DIR / "questions", description="Question bank, <document id>.jsonl each; none = no expansion."
    )
    hotlines_file: Path = Field(KNOWLEDGE_DIR / "hotlines.yaml", description="Hotline directory.")

    # index
    chroma_url: str | None = Field(None, description="Chroma server, e.g. http://127.0.0.1:8765; unset = embedded.")
    chroma_collection: str = Field("passage", description="Chroma collection holding the chunks.")
    embedding_batch_size: int = Field(32, ge=1, description="Chunks embedded per batch at ingest.")
    search_mode: Literal["hybrid", "dense", "lexical"] = Field(
        "hybrid", description="hybrid = dense + BM25 fused; the others exist for evals and comparisons."
    )
    search_fusion: Literal["scores", "rrf"] = Field(
        "scores", description="How hybrid search fuses dense and BM25: normalised scores, or reciprocal rank."
    )

    # answering
    retrieval_deadline_s: float = Field(5.0, gt=0, description="Search deadline; past it, hotlines are returned.")
    embed_backend: Literal["onnx", "torch"] = Field(
        "onnx", description="onnx = the model exported to ONNX Runtime under DATA_DIR/models (same vectors, faster); torch = sentence-transformers."
    )
    torch_threads: int = Field(
        1, ge=1, le=64, description="Threads per embedding, torch or ONNX Runtime (1 serves concurrent turns best)."
    )

    max_question_chars: int = Field(2000, ge=1, le=2000, description="The bot cuts longer messages to this.")

    # optional generation (LangChain init_chat_model)
    llm_model: str | None = Field(None, description="e.g. 'gpt-4o-mini'; unset = extractive answers only.")
    llm_provider: str = Field("openai", description="LangChain provider for LLM_MODEL (openai speaks to any compatible server).")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1.")
    llm_api_key: SecretStr | None = Field(None, description="Key for the LLM endpoint; never logged.")
    llm_timeout_s: float = Field(8.0, gt=0, description="Past this, the extractive answer is returned.")

    # operators (live handoff through the bot); the core only needs to know whether there are any
    operator_chat_id: int | None = Field(None, description="Telegram group of live operators; unset = none.")

    # the Telegram face (its other settings are in bot.settings.BotSettings); here so `make run` knows to start it
    telegram_bot_token: SecretStr | None = Field(None, description="Set to start the Telegram bot with the API.")

    # serving
    host: str = Field("127.0.0.1", description="Address the API binds.")
    port: int = Field(8000, description="Port the API binds.")
    log_level: str = Field("INFO", description="Logs never carry message text, numbers or tokens.")

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def lexical_path(self) -> Path:
        return self.data_dir / "lexical"

    @property
    def operators_available(self) -> bool:
        return self.operator_chat_id is not None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
