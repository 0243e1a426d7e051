"""Publishing a built site: a git branch (GitHub Pages and alike) or rsync (local or ssh).

`run.run_deploy` is the entry point: it checks the target, runs a clean strict build through a
callable, adds host extras (`_headers`, `_redirects`) and hands the output to a publisher.
"""
