"""The search stage and the Pagefind index it makes, in partitions, with Arabic search keys."""
