"""`python -m api`: build the index on first use, serve the API and web chat, and the bot when configured.

The bot runs as its own process (faces never import each other) talking to this API over loopback; it keeps
its own hotline fallback so a person in danger is answered even if this process dies.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys

import uvicorn

from retrieval.settings import get_settings

log = logging.getLogger("passage")


def _ensure_index() -> None:
    """Build the index on first use, in a child process: ingest (and the one-time export of the embedding model,
    which needs torch) would otherwise stay in this server's memory for its whole life (1.85 GB against 0.7 GB
    measured). A failed build is logged and the server starts anyway: the hotlines never wait on the index."""
    from retrieval.ingest import read_state

    settings = get_settings()
    # A missing state file also means the last ingest was interrupted: the run repairs it.
    if read_state(settings) is None:
        log.info("no index yet under %s: building it (first run only)", settings.data_dir)
        done = subprocess.run([sys.executable, "-m", "retrieval.ingest"], check=False)
        if done.returncode != 0:
            log.error("building the index failed (exit %s); serving hotlines without it", done.returncode)
    from retrieval.embedder import models_dir, onnx_path

    if settings.embed_backend == "onnx" and not onnx_path(models_dir(settings)).exists():
        # an index built before the ONNX backend existed: export the model in a child too, for the same reason
        subprocess.run([sys.executable, "-m", "retrieval.embedder"], check=False)


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Request URLs of the bot contain its token; keep client libraries quiet below WARNING.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    _ensure_index()
    bot: subprocess.Popen[bytes] | None = None
    if settings.telegram_bot_token is not None:
        env = {**os.environ, "PASSAGE_API_URL": os.environ.get("PASSAGE_API_URL", f"http://{settings.host}:{settings.port}")}
        bot = subprocess.Popen([sys.executable, "-m", "bot"], env=env)
        log.info("Telegram bot started (pid %s)", bot.pid)
    try:
        uvicorn.run("api.main:create_app", factory=True, host=settings.host, port=settings.port,
                    log_level=settings.log_level.lower(), access_log=False)
    finally:
        if bot is not None and bot.poll() is None:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=15)


if __name__ == "__main__":
    main()
