"""The routes of the live workshop.

Participants (no account, no name): `/live` and `/live/<code>` (pages), and the API under
`/api/v1/live/<code>`: the session, joining with a role (a token for this session only,
kept by the browser), their own votes, voting, dots, and the SSE stream. The facilitator:
`/beheer/live/...` behind the admin token, with the same checks as the admin page's forms.
Every change goes through the server's single writer and is answered after its commit.

The routes are in `participants` and `presenter`, the checks they share in `checks`;
`router` holds them all, the participants' first (a router matches in order).
"""

from fastapi import APIRouter

from assessment.server.live import participants, presenter

router = APIRouter()
router.include_router(participants.router)
router.include_router(presenter.router)
