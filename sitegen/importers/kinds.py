"""The kinds of archive `sitegen import --from` reads (kept apart from the readers, so the
command line knows them without importing them)."""

KINDS = ("jekyll", "hugo", "zola", "wordpress", "feed")
FOLDER_KINDS = ("jekyll", "hugo", "zola")  # the others are one file
