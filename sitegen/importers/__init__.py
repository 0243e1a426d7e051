"""`sitegen import`: bringing articles written elsewhere into the site as Markdown sources."""
