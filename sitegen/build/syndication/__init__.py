"""The syndication stage: feeds, sitemaps, `robots.txt` and page metadata."""
