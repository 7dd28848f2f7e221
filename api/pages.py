"""Pages a person uses: home (actor lookup), graph view, query page."""

import fastapi

router = fastapi.APIRouter()
