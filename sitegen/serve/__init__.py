"""`sitegen serve`, the live preview: watch → loop → state → http; run starts and stops them."""
