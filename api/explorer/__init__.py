"""The explorer: web pages over the API's answers, at /explore (``policykg serve`` serves them on either store).

Plain server-rendered HTML (Jinja2 templates in ``templates/``), one script of ours and vis-network for the
drawings (``static/``; vis-network comes from the pinned ``pyvis`` package, never a CDN). Every page names
the JSON endpoint that feeds it.
"""

from api.explorer.routes import router

__all__ = ["router"]
