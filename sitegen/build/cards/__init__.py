"""Share cards: a 1200×630 PNG per article without a lead image (layout, draw, cache, stage)."""
