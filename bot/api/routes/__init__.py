"""One router per resource (``APIRouter(prefix=..., tags=[...])``), included by ``bot.main``."""
