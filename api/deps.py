"""FastAPI dependencies: the heavy objects live on `app.state`, built once in the lifespan."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from retrieval.assistant import Assistant
from retrieval.settings import Settings


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
