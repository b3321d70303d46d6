"""Delivery pages, one module per page group: `deliveries` (the LAO's page and the lists),
`delivery` (one delivery and what it holds), `accounts` (DLA's e-SAR accounts and issuances);
`common` holds their checks.

Views stay thin: they read through `esar.delivery.selectors` (outside the person's part of the
hierarchy → 404), act through `esar.delivery.services` and show what came back. Every flow is a
plain form. The files they serve are answered by `esar.delivery.downloads`, shared with the API.
"""
