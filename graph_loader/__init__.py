"""Parse Chinese government action plans into a responsibility graph and load it."""

from graph_loader.errors import PlanParseError
from graph_loader.models import Plan
from graph_loader.parser import parse_file, parse_text
from graph_loader.readers import decode

__all__ = ["Plan", "PlanParseError", "decode", "parse_file", "parse_text"]
