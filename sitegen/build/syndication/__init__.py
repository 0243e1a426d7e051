"""The syndication stage: JSON Feed, sitemaps, `robots.txt` and page metadata, made from the plan."""
