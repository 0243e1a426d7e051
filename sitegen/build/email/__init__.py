"""The email edition: each day's digest as an HTML email and its plain-text twin (`stage`),
their styles inlined (`inline`), and the two made into one message (`message`)."""
