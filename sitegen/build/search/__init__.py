"""The search stage and the Pagefind index it makes, with Arabic search keys."""
