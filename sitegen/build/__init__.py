"""The build: the stages from the site's files to its output (`pipeline.build`), and the
caching that makes a rebuild cost what changed (`incremental/`)."""
