"""ตรวจหมุดชุมชน / Review community pins: the queue of pins waiting for the moderator's
region (on a map and as a list), approve, reject or ask for more, several at once. Internal
only; the rules are in ``codi_geo.access.pinning``."""

from codi_geo.ui import pins_review

pins_review.review_page()
