"""The admin page (`/beheer`): response per round, invitations, closing and reopening.

Plain server-rendered HTML in Dutch, without scripts, for the facilitator. It asks for the
admin token with HTTP Basic authentication (any user name, the token as password), so the
token never appears in a URL and no cookie is needed. Every form carries a check value
derived from the token and must come from this server's own pages (Origin), so another
site cannot make the facilitator's browser close a round. Organisation names are shown as
text, isolated for right-to-left and bidi-control characters.

The parts: `access` (the token and the forms' check value), `markup` (HTML and style),
`figures` (the numbers of a round), `pages` (what the facilitator sees) and `actions`
(the forms' buttons). `router` holds the routes of both.
"""

from fastapi import APIRouter

from assessment.server.admin import actions, pages
from assessment.server.admin.access import (
    REALM,
    form_check,
    require_admin,
    require_form,
    require_form_pairs,
)
from assessment.server.admin.figures import RoundFigures, figures
from assessment.server.admin.markup import CSS, e, error_page, name, page, when

# The pages' routes first, as when they were one module (a router matches in order).
router = APIRouter()
router.include_router(pages.router)
router.include_router(actions.router)

__all__ = [
    "CSS",
    "REALM",
    "RoundFigures",
    "e",
    "error_page",
    "figures",
    "form_check",
    "name",
    "page",
    "require_admin",
    "require_form",
    "require_form_pairs",
    "router",
    "when",
]
