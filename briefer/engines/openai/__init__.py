"""The ``openai`` engine: any OpenAI-compatible chat endpoint, with grounded structured output."""

from briefer.engines.openai.client import response_format_for
from briefer.engines.openai.engine import OpenAIEngine
from briefer.engines.openai.options import OpenAIOptions

__all__ = ["OpenAIEngine", "OpenAIOptions", "response_format_for"]
