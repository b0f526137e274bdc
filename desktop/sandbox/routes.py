"""Every API path the sandbox answers, relative to /cgi-bin/."""

from __future__ import annotations

from desktop.sandbox import (
    api_contact_ways,
    api_corp,
    api_customers,
    api_strategies,
    api_tags,
)
from desktop.sandbox.api_call import Route

ROUTES: dict[str, Route] = {
    **api_corp.ROUTES,
    **api_tags.ROUTES,
    **api_strategies.ROUTES,
    **api_customers.ROUTES,
    **api_contact_ways.ROUTES,
}
