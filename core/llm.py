"""The LLM client protocol and its Anthropic implementation with validated JSON replies."""
from __future__ import annotations

import json
import re
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)


class LLMError(RuntimeError):
    """The LLM call failed or never produced a valid reply; callers fall back to the algorithm."""


class LLMClient(Protocol):
    model: str

    def complete_json(self, *, system: str, prompt: str, schema: type[T], max_tokens: int = 4000,
                      temperature: float = 0.3) -> T: ...


def extract_json(text: str) -> str:
    """The JSON payload of a reply, without markdown fences or chatter around it."""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        return fenced.group(1).strip()
    starts = [i for i in (text.find("["), text.find("{")) if i >= 0]
    if not starts:
        return text.strip()
    start = min(starts)
    end = max(text.rfind("]"), text.rfind("}"))
    return text[start:end + 1] if end > start else text[start:]


def parse_reply(text: str, schema: type[T]) -> T:
    return schema.model_validate_json(extract_json(text))


class AnthropicLLM:
    """anthropic.Anthropic with a timeout and the SDK's retries; one re-ask when the reply does not validate."""

    def __init__(self, *, api_key: str, model: str, base_url: str | None = None, timeout: float = 30.0,
                 max_retries: int = 2):
        import anthropic  # imported lazily: the app runs without an LLM

        self._anthropic = anthropic
        self.model = model
        self.client = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout,
                                          max_retries=max_retries)

    def _ask(self, system: str, messages: list[dict], max_tokens: int, temperature: float) -> str:
        try:
            # This SDK release has no `temperature` argument; the API still reads it from the body.
            reply = self.client.messages.create(model=self.model, system=system, messages=messages,
                                                max_tokens=max_tokens, extra_body={"temperature": temperature})
        except self._anthropic.APIError as exc:
            raise LLMError(f"{type(exc).__name__}: {exc}") from exc
        text = "".join(getattr(block, "text", "") for block in reply.content)
        if not text:
            tool_inputs = [block.input for block in reply.content if block.type == "tool_use"]
            payload = tool_inputs[0] if tool_inputs else ""
            if isinstance(payload, dict) and len(payload) == 1:  # {"recommendations": [...]} -> the list itself
                payload = next(iter(payload.values()))
            text = json.dumps(payload) if payload != "" else ""
        return text

    def complete_json(self, *, system: str, prompt: str, schema: type[T], max_tokens: int = 4000,
                      temperature: float = 0.3) -> T:
        messages = [{"role": "user", "content": prompt}]
        text = self._ask(system, messages, max_tokens, temperature)
        try:
            return parse_reply(text, schema)
        except (ValidationError, ValueError) as first_error:
            messages += [{"role": "assistant", "content": text or "(empty)"},
                         {"role": "user", "content": "Your reply was not valid JSON for the requested format: "
                          f"{str(first_error)[:800]}\nReturn ONLY the corrected JSON."}]
        text = self._ask(system, messages, max_tokens, temperature)
        try:
            return parse_reply(text, schema)
        except (ValidationError, ValueError) as exc:
            raise LLMError(f"invalid reply after one re-ask: {str(exc)[:300]}") from exc
